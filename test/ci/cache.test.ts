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
    expect(metrics).toMatchObject({ filesParsed: 13, cacheHits: 0 });
  });

  it('a warm run with nothing changed parses nothing, and gives the same result', async () => {
    const cold = await analyze({ dir: repo.dir });
    const { result, metrics } = await run();
    expect(metrics).toMatchObject({ filesParsed: 0, cacheHits: 13 });
    expect(JSON.stringify(result)).toBe(JSON.stringify(cold));
  });

  it('a warm run after one file changed parses only that file', async () => {
    repo.edit('services/payment/src/payment.events.ts', (text) => `${text}\n// reviewed\n`);
    const { metrics } = await run();
    expect(metrics).toMatchObject({ filesParsed: 1, cacheHits: 12 });
  });

  it('ignores a corrupt, truncated or foreign cache and rebuilds it', async () => {
    const file = path.join(cacheLocation, 'summaries.json');
    const valid = readFileSync(file, 'utf8');
    for (const broken of ['{"format":"choreolint-summary-cache","version":1,"fingerprint":"x","entries":{', 'not json', '{"format":"something-else"}', JSON.stringify({ ...JSON.parse(valid), version: 999 })]) {
      writeFileSync(file, broken);
      const { metrics, result } = await run();
      expect(metrics).toMatchObject({ filesParsed: 13, cacheHits: 0 });
      expect(result.findings.length).toBe(8);
    }
    expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('choreolint-summary-cache');
  });

  it('is used by the CLI with --cache, and by default in changed-files mode', () => {
    const warm = runCli(['check', '--cache', '--debug'], { cwd: repo.dir });
    expect(warm.stderr).toContain('parsed 0, 13 from the cache');
    const changed = runCli(['check', '--changed', '--debug'], { cwd: repo.dir });
    expect(changed.stderr).toContain('parsed 0, 13 from the cache');
    const cold = runCli(['check', '--debug'], { cwd: repo.dir });
    expect(cold.stderr).toContain('parsed 13, 0 from the cache');
  });
});
