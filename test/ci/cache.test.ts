import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, type RunMetrics } from '../../src/analyze.js';
import { runCli } from '../helpers.js';
import { gitCopyOf } from './scratch.js';

/** Longer than the file index's racy window: files written before it are trusted by their stamp. */
const SETTLE_MS = 250;

describe('per-file cache of extraction summaries', () => {
  const repo = gitCopyOf('shop');
  afterAll(() => repo.remove());
  // A file written just before the run that read it is read again by the next run (it could change
  // again without its stamp changing): every write settles before a run, so that the index is used.
  beforeAll(() => sleep(SETTLE_MS));
  const edit = async (file: string, change: (text: string) => string) => {
    repo.edit(file, change);
    await sleep(SETTLE_MS);
  };
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

  it('a warm run with nothing changed reads no file, parses nothing and reuses the result, byte for byte', async () => {
    const cold = await analyze({ dir: repo.dir });
    const { result, metrics } = await run();
    expect(metrics).toMatchObject({ filesRead: 0, filesParsed: 0, cacheHits: 0, resultFromCache: true });
    expect(JSON.stringify(result)).toBe(JSON.stringify(cold));
  });

  it('a warm run after one file changed reads and parses only that file, and finds what a cold run finds', async () => {
    // A line above everything moves every declaration of the file: its summary changes.
    await edit('services/payment/src/payment.events.ts', (text) => `// reviewed\n${text}`);
    const { metrics, result } = await run();
    expect(metrics).toMatchObject({ filesRead: 1, filesParsed: 1, cacheHits: 12 });
    expect(metrics.resultReused).toBeUndefined();
    expect(JSON.stringify(result)).toBe(JSON.stringify(await analyze({ dir: repo.dir })));
  });

  it('reads again a file written close to the run that read it, until it has settled', async () => {
    repo.edit('services/payment/src/payment.events.ts', (text) => `${text.replace('// reviewed\n', '// checked\n')}`);
    // Written just now: read, and recorded without a stamp to trust.
    expect((await run()).metrics).toMatchObject({ filesRead: 1, filesParsed: 1 });
    expect((await run()).metrics).toMatchObject({ filesRead: 1, filesParsed: 0, resultFromCache: true });
    await sleep(SETTLE_MS);
    expect((await run()).metrics).toMatchObject({ filesRead: 1, resultFromCache: true });
    expect((await run()).metrics).toMatchObject({ filesRead: 0, resultFromCache: true });
  });

  it('a change that leaves the summary as it was (a comment at the end) parses that file and reuses the result', async () => {
    await edit('services/payment/src/payment.handler.ts', (text) => `${text}\n// reviewed\n`);
    const { metrics, result } = await run();
    expect(metrics).toMatchObject({ filesRead: 1, filesParsed: 1, cacheHits: 0, resultReused: true });
    expect(JSON.stringify(result)).toBe(JSON.stringify(await analyze({ dir: repo.dir })));
    // The reused result is stored under the new key: the next run finds nothing changed.
    expect((await run()).metrics).toMatchObject({ filesParsed: 0, resultFromCache: true });
  });

  it('a change to a file link never looked at reuses the result without parsing anything', async () => {
    await edit('services/order/src/http.ts', (text) => `${text}\nexport const retries = 3;\n`);
    const { metrics, result } = await run();
    expect(metrics).toMatchObject({ filesRead: 1, filesParsed: 0, cacheHits: 0, resultReused: true });
    expect(JSON.stringify(result)).toBe(JSON.stringify(await analyze({ dir: repo.dir })));
  });

  it('a file link never looked at that starts to publish is linked: the result is not reused', async () => {
    const file = 'services/order/src/http.ts';
    const text = readFileSync(path.join(repo.dir, file), 'utf8');
    await edit(file, (current) => `import { Kafka } from 'kafkajs';\n${current}\nexport async function audit(): Promise<void> {\n  await new Kafka({ clientId: 'audit', brokers: [] }).producer().send({ topic: 'shop.audit.logged', messages: [] });\n}\n`);
    const { metrics, result } = await run();
    expect(metrics.resultReused).toBeUndefined();
    // The 13 files linked before come from the cache; the new seed is parsed.
    expect(metrics).toMatchObject({ filesRead: 1, filesParsed: 1, cacheHits: 13 });
    expect(result.declarations.filter((declaration) => declaration.event === 'shop.audit.logged').map((declaration) => declaration.file)).toEqual([file]);
    expect(JSON.stringify(result)).toBe(JSON.stringify(await analyze({ dir: repo.dir })));
    await edit(file, () => text);
    expect((await run()).metrics).toMatchObject({ filesRead: 1, filesParsed: 0, cacheHits: 13 });
  });

  it('sees a change that keeps the size and the modification time (the change time differs)', async () => {
    const file = path.join(repo.dir, 'services/order/src/order.service.ts');
    const text = readFileSync(file, 'utf8');
    // A whole second, which every file system stores exactly (rsync -t and archives restore such times).
    const mtime = new Date('2026-01-01T00:00:00Z');
    utimesSync(file, mtime, mtime);
    await sleep(SETTLE_MS);
    expect((await run()).metrics).toMatchObject({ filesRead: 1, resultFromCache: true });
    const before = JSON.stringify((await run()).result);
    // Same length, another event published, the same modification time: only the change time tells.
    writeFileSync(file, text.replace('this.events.orderConfirmed(orderId)', 'this.events.orderCancelled(orderId)'));
    utimesSync(file, mtime, mtime);
    expect(statSync(file)).toMatchObject({ size: Buffer.byteLength(text), mtimeMs: mtime.getTime() });
    const { metrics, result } = await run();
    expect(metrics).toMatchObject({ filesRead: 1, filesParsed: 1 });
    expect(JSON.stringify(result)).not.toBe(before);
    expect(JSON.stringify(result)).toBe(JSON.stringify(await analyze({ dir: repo.dir })));
    writeFileSync(file, text);
    await sleep(SETTLE_MS);
    // The reuse check parsed the restored text (to compare it with the cached summary), link took it from there.
    expect((await run()).metrics).toMatchObject({ filesRead: 1, filesParsed: 1, cacheHits: 12 });
  });

  it('a renamed package (not a source file) renames its service: the cached result is not used', async () => {
    const manifest = 'services/order/package.json';
    const text = readFileSync(path.join(repo.dir, manifest), 'utf8');
    await edit(manifest, (current) => current.replace('"order-service"', '"ordering-service"'));
    const { metrics, result } = await run();
    expect(metrics.resultFromCache).toBeUndefined();
    expect(metrics.resultReused).toBeUndefined();
    expect(result.services.map((service) => service.name)).toContain('ordering-service');
    expect(JSON.stringify(result)).toBe(JSON.stringify(await analyze({ dir: repo.dir })));
    await edit(manifest, () => text);
    expect((await run()).result.services.map((service) => service.name)).toContain('order-service');
  });

  it('ignores a corrupt, truncated or foreign cache and rebuilds it', async () => {
    const summaries = path.join(cacheLocation, 'summaries.jsonl');
    const results = path.join(cacheLocation, 'result.json');
    const index = path.join(cacheLocation, 'files.json');
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
      writeFileSync(index, text);
      const { metrics, result } = await run();
      expect(metrics).toMatchObject({ filesRead: 15, filesParsed: 13, cacheHits: 0 });
      expect(metrics.resultFromCache).toBeUndefined();
      expect(result.findings.length).toBe(8);
    }
    expect(readFileSync(summaries, 'utf8')).toBe(valid);
    expect(JSON.parse(readFileSync(results, 'utf8').split('\n')[0]!).format).toBe('choreolint-result-cache');
  });

  it('is used by the CLI with --cache, and by default in changed-files mode', async () => {
    const warm = runCli(['check', '--cache', '--debug'], { cwd: repo.dir });
    expect(warm.stderr).toContain('choreolint: read 0 files, nothing changed: the result came from the cache');
    await edit('services/order/src/order.service.ts', (text) => `${text}\n// reviewed\n`);
    const changed = runCli(['check', '--changed', '--debug'], { cwd: repo.dir });
    expect(changed.stderr).toContain('read 1 files, parsed 1, 0 from the cache; link would see what it saw: the result came from the cache');
    await edit('services/order/src/order.service.ts', (text) => `// reviewed\n${text}`);
    const relinked = runCli(['check', '--changed', '--debug'], { cwd: repo.dir });
    expect(relinked.stderr).toContain('read 1 files, parsed 1, 12 from the cache\n');
    const cold = runCli(['check', '--debug'], { cwd: repo.dir });
    expect(cold.stderr).toContain('parsed 13, 0 from the cache');
  });
});
