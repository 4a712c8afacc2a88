import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers.js';
import { gitCopyOf } from './scratch.js';

describe('baseline: adopt the linter on a system with known findings', () => {
  const repo = gitCopyOf('shop');
  afterAll(() => repo.remove());
  const baselineFile = path.join(repo.dir, '.choreolint-baseline.json');

  it('records every finding, sorted, and then reports none of them', () => {
    const record = runCli(['check', '--update-baseline'], { cwd: repo.dir });
    expect(record.status).toBe(0);
    expect(record.stderr).toBe('choreolint: wrote 8 known findings to .choreolint-baseline.json\n');
    const baseline = JSON.parse(readFileSync(baselineFile, 'utf8'));
    expect(baseline.findings.map((entry: { ruleId: string }) => entry.ruleId)).toEqual([
      'event-cycle',
      'non-idempotent-handler',
      'non-idempotent-handler',
      'non-idempotent-handler',
      'non-idempotent-handler',
      'orphan-event',
      'orphan-event',
      'service-cycle',
    ]);
    const run = runCli(['check'], { cwd: repo.dir });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('8 known findings ignored (baseline .choreolint-baseline.json)');
  });

  it('still recognises them after the lines of two files moved', () => {
    repo.edit('services/order/src/order-events.publisher.ts', (text) => `// moved down by a comment\n\n${text}`);
    repo.edit('services/order/src/main.ts', (text) => `${text}\n// and a trailing comment\n`);
    const run = runCli(['check', '--format', 'json'], { cwd: repo.dir });
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.findings).toEqual([]);
    expect(result.baseline).toEqual({ file: '.choreolint-baseline.json', ignored: 8, stale: [] });
  });

  it('reports a fixed finding as stale, and fails with --strict-baseline', () => {
    repo.edit('services/payment/src/payment.events.ts', (text) => text.replace(/ {2}async refunded[\s\S]*?\n {2}}\n\n/, ''));
    repo.edit('services/payment/src/payment.handler.ts', (text) => text.replace('await this.events.refunded(orderId);', ''));
    const run = runCli(['check'], { cwd: repo.dir });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('⚠ 1 baseline entry matches no finding any more (fixed or changed): run --update-baseline');
    expect(run.stdout).toContain('  orphan-event  services/payment/src/payment.events.ts  shop.payment.refunded is published by PaymentEvents.refunded');
    expect(runCli(['check', '--strict-baseline'], { cwd: repo.dir }).status).toBe(1);
  });

  it('reports a new finding that the baseline does not know, and refuses a file that is not a baseline', () => {
    repo.edit('services/inventory/src/stock.service.ts', (text) => text.replace('export class StockService {', "import type { Producer } from 'kafkajs';\n\nexport async function audit(producer: Producer): Promise<void> {\n  await producer.send({ topic: 'inventory.audited', messages: [] });\n}\n\nexport class StockService {"));
    const run = runCli(['check', '--format', 'json'], { cwd: repo.dir });
    expect(JSON.parse(run.stdout).findings.map((f: { ruleId: string; message: string }) => `${f.ruleId} ${f.message}`)).toEqual([
      'orphan-event inventory.audited is published by audit (inventory-service) but nothing in the topology consumes it',
    ]);
    const notABaseline = runCli(['check', '--baseline', 'package.json'], { cwd: repo.dir });
    expect(notABaseline.status).toBe(2);
    expect(notABaseline.stderr).toMatch(/^choreolint: .*package\.json: not a choreolint baseline/);
  });

  it('reads a baseline given by path from the current directory, the default one from the analyzed directory', () => {
    const inside = (...args: string[]) => runCli(['check', ...args, '--format', 'json'], { cwd: repo.dir });
    const above = (...args: string[]) => runCli(['check', path.basename(repo.dir), ...args, '--format', 'json'], { cwd: path.dirname(repo.dir) });
    const known = (run: { stdout: string }) => (JSON.parse(run.stdout) as { baseline?: { ignored: number } }).baseline?.ignored;
    expect(known(inside())).toBe(7);
    // From above the repository: the default is still the repository's own.
    expect(known(above())).toBe(known(inside()));
    expect(known(above('--baseline', path.join(path.basename(repo.dir), '.choreolint-baseline.json')))).toBe(known(inside()));
    const missing = above('--baseline', '.choreolint-baseline.json');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('choreolint: .choreolint-baseline.json: no such baseline file\n');
  });
});

describe('--max-warnings', () => {
  it('fails when the warnings exceed it, with the same exit code in every format', () => {
    for (const format of ['stylish', 'json']) {
      expect(runCli(['check', 'fixtures/shop-acyclic', '--format', format, '--max-warnings', '6']).status).toBe(1);
      expect(runCli(['check', 'fixtures/shop-acyclic', '--format', format, '--max-warnings', '7']).status).toBe(0);
    }
    expect(runCli(['check', 'fixtures/shop-acyclic', '--max-warnings', 'many'])).toMatchObject({ status: 2, stderr: 'choreolint: --max-warnings needs a whole number ≥ 0\n' });
  });
});
