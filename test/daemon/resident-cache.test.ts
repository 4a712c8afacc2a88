import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, type RunMetrics } from '../../src/analyze.js';
import { flushCacheWrites, keepCachesResident, readCacheFile, residentCacheStats } from '../../src/cache/resident.js';
import { readResultCache, writeCachedResult } from '../../src/cache/result-cache.js';
import type { Result } from '../../src/model/result.js';
import { gitCopyOf } from '../ci/scratch.js';

/** The caches as the daemon keeps them: in memory between runs, written after each reply. */
describe('resident caches', () => {
  const repo = gitCopyOf('shop');
  const cacheLocation = path.join(repo.dir, 'node_modules', '.cache', 'choreolint');
  const cacheFile = (name: string) => path.join(cacheLocation, name);
  beforeAll(async () => {
    keepCachesResident();
    await sleep(250);
  });
  afterAll(() => {
    keepCachesResident(false);
    repo.remove();
  });
  const run = async () => {
    const metrics: RunMetrics = { filesRead: 0, filesParsed: 0, cacheHits: 0 };
    const before = residentCacheStats();
    const result = await analyze({ dir: repo.dir, cacheLocation, metrics });
    const after = residentCacheStats();
    return { result: JSON.stringify(result), metrics, hits: after.hits - before.hits, misses: after.misses - before.misses };
  };
  const cold = async () => JSON.stringify(await analyze({ dir: repo.dir }));

  it('a run writes the caches only when flushed (after the reply)', async () => {
    const first = await run();
    // discovery.json, files.json, result.json, summaries.jsonl: none there yet.
    expect(first).toMatchObject({ hits: 0, misses: 4, metrics: { filesParsed: 13 } });
    expect(existsSync(cacheFile('result.json'))).toBe(false);
    flushCacheWrites();
    expect(['discovery.json', 'files.json', 'result.json', 'summaries.jsonl'].map((name) => existsSync(cacheFile(name)))).toEqual([true, true, true, true]);
    expect(first.result).toBe(await cold());
  });

  it('the next run takes them from memory, not from disk', async () => {
    await sleep(250);
    const second = await run();
    // Discovery, the file index and the result.
    expect(second).toMatchObject({ hits: 3, misses: 0, metrics: { filesRead: 0, resultFromCache: true } });
    // The first run's cache made node_modules/ in the root: the root's listing changed, and was walked again.
    expect(second.metrics.discoveryFromCache).toBeUndefined();
    expect(second.result).toBe(await cold());
    flushCacheWrites();
  });

  it('a change to a source file: the summaries come from memory, the changed file is parsed', async () => {
    repo.edit('services/payment/src/payment.events.ts', (text) => text.replace('topic: Topics.PAYMENT_REFUNDED', "topic: 'shop.payment.reimbursed'"));
    await sleep(250);
    const third = await run();
    expect(third).toMatchObject({ hits: 4, misses: 0, metrics: { filesRead: 1, filesParsed: 1, discoveryFromCache: true } });
    expect(third.result).toContain('shop.payment.reimbursed');
    expect(third.result).toBe(await cold());
    // Until the flush, the file on disk is the one the earlier run wrote.
    expect(readFileSync(cacheFile('result.json'), 'utf8')).not.toContain('shop.payment.reimbursed');
    flushCacheWrites();
    expect(readFileSync(cacheFile('result.json'), 'utf8')).toContain('shop.payment.reimbursed');
  });

  it('a cache file another process wrote is read again from disk', async () => {
    // Another choreolint (a run of its own) replaced the result with a damaged one.
    writeFileSync(cacheFile('result.json'), 'not a cache');
    const fourth = await run();
    expect(fourth).toMatchObject({ hits: 3, misses: 1 });
    expect(fourth.result).toBe(await cold());
    flushCacheWrites();
  });

  it('what a run was handed from the cache cannot be changed for the next one', async () => {
    const fifth = await run();
    expect(fifth.metrics.resultFromCache).toBe(true);
    repo.edit('services/payment/src/payment.events.ts', (text) => `// moved\n${text}`);
    await sleep(250);
    // A run that relinks takes the unchanged files' summaries from memory: frozen.
    await analyze({ dir: repo.dir, cacheLocation, metrics: { filesRead: 0, filesParsed: 0, cacheHits: 0 } });
    flushCacheWrites();
    const summaries: unknown[] = [];
    const entries = readCacheFile(cacheFile('summaries.jsonl'), () => undefined) as { entries: Map<string, unknown> } | undefined;
    for (const summary of entries!.entries.values()) if (typeof summary !== 'string') summaries.push(summary);
    expect(summaries.length).toBeGreaterThan(10);
    expect(summaries.every((summary) => Object.isFrozen(summary) && Object.isFrozen((summary as { declarations: unknown[] }).declarations))).toBe(true);
  });

  it('link takes what a handler reached from earlier runs while every summary that decided it is the same', async () => {
    // The last run linked this content: what its six handlers reached is remembered.
    repo.edit('services/payment/src/payment.events.ts', (text) => `// moved again\n${text}`);
    await sleep(250);
    const moved = await run();
    // The four handlers whose walk read payment.events.ts are walked again; the other two are taken as they were.
    expect(moved.metrics.reach).toEqual({ remembered: 2, computed: 4 });
    expect(moved.result).toBe(await cold());
    flushCacheWrites();
    repo.edit('services/order/src/main.ts', (text) => `// moved\n${text}`);
    await sleep(250);
    const again = await run();
    expect(again.metrics.reach).toEqual({ remembered: 1, computed: 5 });
    expect(again.result).toBe(await cold());
    flushCacheWrites();
  });

  it('the result is serialized once, when written after the reply, and the next run reads that text', () => {
    let serialized = 0;
    const result = { version: 1, toJSON: () => ((serialized += 1), { version: 1 }) } as unknown as Result;
    const inputs = { base: 'b', loaded: [], scanTokens: [] };
    writeCachedResult(cacheLocation, 'key-1', inputs, result);
    expect(serialized).toBe(0);
    flushCacheWrites();
    expect(serialized).toBe(1);
    expect(readFileSync(cacheFile('result.json'), 'utf8').split('\n')[1]).toBe('{"version":1}');
    const cached = readResultCache(cacheLocation)!;
    expect([cached.key, cached.document(), serialized]).toEqual(['key-1', '{"version":1}', 1]);
  });
});
