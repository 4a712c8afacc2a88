import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers.js';
import { gitCopyOf } from './scratch.js';

const rulesAt = (stdout: string) =>
  (JSON.parse(stdout) as { findings: Array<{ ruleId: string; location: { file: string; line: number } }> }).findings.map(
    (f) => `${f.ruleId} ${f.location.file}:${f.location.line}`,
  );

describe('changed-files mode: the whole topology, findings about the changed files only', () => {
  const repo = gitCopyOf('shop-acyclic');
  afterAll(() => repo.remove());

  it('reports nothing when nothing changed since HEAD', () => {
    const run = runCli(['check', '--changed', '--format', 'json'], { cwd: repo.dir });
    expect(run.status).toBe(0);
    expect(rulesAt(run.stdout)).toEqual([]);
  });

  it('reports what a change causes, even when the finding’s primary location is in another file', () => {
    // Retrying on a stock shortage closes a cycle through three services; only main.ts changes.
    repo.edit('services/order/src/main.ts', (text) => text.replace("await orders.cancel(event.orderId, 'out of stock');", 'await orders.place(event);'));
    const run = runCli(['check', '--changed', '--format', 'json'], { cwd: repo.dir });
    expect(run.status).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.scope).toEqual({ files: ['services/order/src/main.ts'] });
    expect(rulesAt(run.stdout)).toEqual([
      'event-cycle services/inventory/src/inventory.consumer.ts:28',
      'non-idempotent-handler services/order/src/main.ts:18',
      'non-idempotent-handler services/order/src/main.ts:28',
      'non-idempotent-handler services/order/src/main.ts:38',
      'service-cycle services/order/src/order-events.publisher.ts:20',
    ]);
  });

  it('compares with a revision: --changed HEAD~0 is the same as --changed; a committed change shows against its parent', () => {
    repo.git('commit', '-qam', 'retry on shortage');
    expect(rulesAt(runCli(['check', '--changed', '--format', 'json'], { cwd: repo.dir }).stdout)).toEqual([]);
    const run = runCli(['check', '--changed', 'HEAD~1', '--format', 'json'], { cwd: repo.dir });
    expect(rulesAt(run.stdout)[0]).toBe('event-cycle services/inventory/src/inventory.consumer.ts:28');
  });

  it('takes file arguments as lint-staged passes them (absolute paths)', () => {
    const run = runCli(['check', '--format', 'json', path.join(repo.dir, 'services/payment/src/payment.events.ts')], { cwd: repo.dir });
    expect(run.status).toBe(1);
    expect(rulesAt(run.stdout)).toEqual([
      'event-cycle services/inventory/src/inventory.consumer.ts:28',
      'service-cycle services/order/src/order-events.publisher.ts:20',
      'orphan-event services/payment/src/payment.events.ts:13',
    ]);
  });

  it('refuses file arguments outside the current directory, and --changed outside a git repository', () => {
    expect(runCli(['check', '/etc/hostname'], { cwd: repo.dir })).toMatchObject({ status: 2, stderr: 'choreolint: /etc/hostname: outside the current directory\n' });
    rmSync(path.join(repo.dir, '.git'), { recursive: true, force: true });
    const run = runCli(['check', '--changed'], { cwd: repo.dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^choreolint: git rev-parse failed: .*\(changed-files mode needs a git repository\)\n$/);
  });
});

describe('--staged: the content that will be committed, not the working tree', () => {
  const repo = gitCopyOf('shop-acyclic');
  afterAll(() => repo.remove());

  it('analyzes the staged version of a file, whatever the working tree holds', () => {
    const file = 'services/order/src/main.ts';
    repo.edit(file, (text) => text.replace("await orders.cancel(event.orderId, 'out of stock');", 'await orders.place(event);'));
    repo.git('add', file);
    // Fixed again in the working tree, but not staged: the commit would still hold the cycle.
    repo.edit(file, (text) => text.replace('await orders.place(event);', "await orders.cancel(event.orderId, 'out of stock');"));
    const staged = runCli(['check', '--staged', '--format', 'json'], { cwd: repo.dir });
    expect(staged.status).toBe(1);
    expect(JSON.parse(staged.stdout).scope).toEqual({ files: [file] });
    expect(rulesAt(staged.stdout)[0]).toBe('event-cycle services/inventory/src/inventory.consumer.ts:28');
    expect(runCli(['check', '--changed', '--format', 'json'], { cwd: repo.dir }).status).toBe(0);
  });
});
