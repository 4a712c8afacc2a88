import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { fixture, runCli } from '../helpers.js';

describe('choreolint init', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'choreolint-init-'));
  cpSync(fixture('mixed-monorepo'), dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a commented config from what it detects, valid against the config schema', () => {
    const run = runCli(['init', '--yes'], { cwd: dir });
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(run.stdout).toBe('Wrote choreolint.yaml: 5 services, 4 messaging libraries, 0 AsyncAPI documents. Run `choreolint check` next.\n');
    const text = readFileSync(path.join(dir, 'choreolint.yaml'), 'utf8');
    expect(text.split('\n').slice(1, 5)).toEqual([
      '# Written by `choreolint init`. Detected in this repository:',
      '#   services: @mixed/contracts (packages/contracts), audit (services/audit), billing (services/billing), notifications (services/notifications), orders (services/orders)',
      '#   messaging libraries: kafkajs, amqplib, nestjs-microservices, redis-pubsub',
      '#   AsyncAPI documents: none',
    ]);
    const { config } = parseConfigText(text, path.join(dir, 'choreolint.yaml'), dir);
    expect(config.rules['event-cycle']).toBe('error');
    expect(config.external).toEqual([]);
  });

  it('checks the repository with the written config exactly as without it', () => {
    const withConfig = runCli(['check', '--format', 'json'], { cwd: dir });
    const withoutConfig = runCli(['check', fixture('mixed-monorepo'), '--format', 'json']);
    expect(JSON.parse(withConfig.stdout).findings).toEqual(JSON.parse(withoutConfig.stdout).findings);
  });

  it('does not overwrite an existing config without --force', () => {
    expect(runCli(['init', '--yes'], { cwd: dir })).toMatchObject({ status: 2, stderr: 'choreolint: choreolint.yaml exists (use --force to overwrite it)\n' });
    expect(runCli(['init', '--yes', '--force'], { cwd: dir }).status).toBe(0);
  });
});
