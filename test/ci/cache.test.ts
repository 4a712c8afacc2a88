import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze, type RunMetrics } from '../../src/analyze.js';
import { runCli } from '../helpers.js';
import { gitCopyOf } from './scratch.js';

describe('per-file cache of extraction summaries', () => {
  const repo = gitCopyOf('shop');
  afterAll(() => repo.remove());
  const cacheLocation = path.join(repo.dir, 'node_modules', '.cache', 'choreolint');
  const run = async () => {
    const metrics: RunMetrics = { filesRead: 0, filesParsed: 0, cacheHits: 0 };
    const result = await analyze({ dir: repo.dir, cacheLocation, metrics });
    return { result, metrics };
  };

  it('a cold run parses the files it needs and fills the cache', async () => {
    const { metrics } = await run();
    // 15 source files, each read once: link's later requests are served from the first read.
    expect(metrics).toMatchObject({ filesRead: 15, filesParsed: 13, cacheHits: 0 });
  });

  it('a warm run with nothing changed parses nothing and reuses the result, byte for byte', async () => {
    const cold = await analyze({ dir: repo.dir });
    const { result, metrics } = await run();
    expect(metrics).toMatchObject({ filesParsed: 0, cacheHits: 0, resultFromCache: true });
    expect(JSON.stringify(result)).toBe(JSON.stringify(cold));
  });

  it('a warm run after one file changed parses only that file, and finds what a cold run finds', async () => {
    repo.edit('services/payment/src/payment.events.ts', (text) => `${text}\n// reviewed\n`);
    const { metrics, result } = await run();
    expect(metrics).toMatchObject({ filesParsed: 1, cacheHits: 12 });
    expect(JSON.stringify(result)).toBe(JSON.stringify(await analyze({ dir: repo.dir })));
  });

  it('ignores a corrupt, truncated or foreign cache and rebuilds it', async () => {
    const summaries = path.join(cacheLocation, 'summaries.jsonl');
    const results = path.join(cacheLocation, 'result.json');
    const valid = readFileSync(summaries, 'utf8');
    const [header, ...entries] = valid.split('\n');
    const firstEntryKey = entries[0]!.slice(0, entries[0]!.indexOf(' '));
    const broken = [
      // truncated inside every entry
      [header, ...entries.filter(Boolean).map((entry) => entry.slice(0, entry.length - 10))].join('\n'),
      'not json',
      '{"format":"something-else"}',
      [JSON.stringify({ ...JSON.parse(header!), version: 999 }), ...entries].join('\n'),
      [JSON.stringify({ ...JSON.parse(header!), fingerprint: 'another config' }), ...entries].join('\n'),
      // entries that parse but are not summaries
      [header, ...entries.filter(Boolean).map((entry) => `${entry.slice(0, entry.indexOf(' '))} {"imports":"no"}`)].join('\n'),
    ];
    expect(firstEntryKey).toMatch(/^[0-9a-f]{40}$/);
    for (const text of broken) {
      writeFileSync(summaries, text);
      writeFileSync(results, text);
      const { metrics, result } = await run();
      expect(metrics).toMatchObject({ filesParsed: 13, cacheHits: 0 });
      expect(metrics.resultFromCache).toBeUndefined();
      expect(result.findings.length).toBe(8);
    }
    expect(readFileSync(summaries, 'utf8')).toBe(valid);
    expect(JSON.parse(readFileSync(results, 'utf8').split('\n')[0]!).format).toBe('choreolint-result-cache');
  });

  it('is used by the CLI with --cache, and by default in changed-files mode', () => {
    const warm = runCli(['check', '--cache', '--debug'], { cwd: repo.dir });
    expect(warm.stderr).toContain('choreolint: read 15 files, nothing changed: the result came from the cache');
    repo.edit('services/order/src/order.service.ts', (text) => `${text}\n// reviewed\n`);
    const changed = runCli(['check', '--changed', '--debug'], { cwd: repo.dir });
    expect(changed.stderr).toContain('parsed 1, 12 from the cache');
    const cold = runCli(['check', '--debug'], { cwd: repo.dir });
    expect(cold.stderr).toContain('parsed 13, 0 from the cache');
  });
});
