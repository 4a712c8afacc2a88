import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, type AnalyzeOptions, type RunMetrics } from '../../src/analyze.js';
import { isRacy } from '../../src/cache/file-index.js';
import { defaultConfig } from '../../src/config/defaults.js';
import { discoverProject, DiscoveryInputs } from '../../src/discover/index.js';
import { gitCopyOf } from './scratch.js';

/** Longer than the racy window: a directory changed before it is trusted by its stamp. */
const SETTLE_MS = 250;

describe('discovery taken from the cache', () => {
  const repo = gitCopyOf('saga-order-flow');
  // Outside the repository: a cache made in it would change the root's listing.
  const cacheLocation = mkdtempSync(path.join(tmpdir(), 'choreolint-discovery-cache-'));
  beforeAll(() => sleep(SETTLE_MS));
  afterAll(() => {
    repo.remove();
    rmSync(cacheLocation, { recursive: true, force: true });
  });
  const at = (file: string) => path.join(repo.dir, file);
  /** A cached run and a run without any cache, which must agree. */
  const run = async (options: Partial<AnalyzeOptions> = {}) => {
    const metrics: RunMetrics = { filesRead: 0, filesParsed: 0, cacheHits: 0 };
    const result = JSON.stringify(await analyze({ dir: repo.dir, cacheLocation, metrics, ...options }));
    expect(result).toBe(JSON.stringify(await analyze({ dir: repo.dir, ...options })));
    return { result, fromCache: metrics.discoveryFromCache === true };
  };
  const settled = () => sleep(SETTLE_MS);

  it('is used by the next run while no directory, .gitignore or manifest has changed', async () => {
    expect((await run()).fromCache).toBe(false);
    expect((await run()).fromCache).toBe(true);
    // A source file's content is the file index's business, not discovery's.
    repo.edit('services/payment/src/payments.ts', (text) => `// reviewed\n${text}`);
    await settled();
    expect((await run()).fromCache).toBe(true);
  });

  it('is not used once a file was added in a new directory, or removed', async () => {
    mkdirSync(at('services/payment/src/refunds'));
    copyFileSync(at('services/payment/src/payments.ts'), at('services/payment/src/refunds/refunds.ts'));
    await settled();
    const added = await run();
    expect(added).toMatchObject({ fromCache: false });
    expect(added.result).toContain('services/payment/src/refunds/refunds.ts');
    expect((await run()).fromCache).toBe(true);

    unlinkSync(at('services/payment/src/refunds/refunds.ts'));
    await settled();
    const removed = await run();
    expect(removed).toMatchObject({ fromCache: false });
    expect(removed.result).not.toContain('refunds/refunds.ts');
  });

  it('is not used once a .gitignore or a manifest changed', async () => {
    appendFileSync(at('.gitignore'), 'services/shipping/\n');
    await settled();
    const ignored = await run();
    expect(ignored).toMatchObject({ fromCache: false });
    expect(ignored.result).not.toContain('services/shipping/');

    repo.edit('services/payment/package.json', (text) => text.replace('"payment-service"', '"payments"'));
    await settled();
    const renamed = await run();
    expect(renamed).toMatchObject({ fromCache: false });
    expect(renamed.result).toContain('"payments"');
    expect(renamed.result).not.toContain('"payment-service"');
    expect((await run()).fromCache).toBe(true);
  });

  it('is not used with another config', async () => {
    expect((await run({ config: { exclude: ['services/order/**'] } })).fromCache).toBe(false);
    expect((await run({ config: { exclude: ['services/order/**'] } })).fromCache).toBe(true);
    expect((await run()).fromCache).toBe(false);
  });

  it('is never made of a tree with a symbolic link (what it points at changes under the same stamps)', async () => {
    symlinkSync('payments.ts', at('services/payment/src/linked.ts'));
    await settled();
    expect((await run()).fromCache).toBe(false);
    expect((await run()).fromCache).toBe(false);
    unlinkSync(at('services/payment/src/linked.ts'));
    await settled();
    expect((await run()).fromCache).toBe(false);
    expect((await run()).fromCache).toBe(true);
  });

  it('is used with a named pipe in the tree: skipped by its name, which its directory stamps', async () => {
    execFileSync('mkfifo', [at('services/payment/src/events.pipe.ts')]);
    await settled();
    const withPipe = await run();
    expect(withPipe).toMatchObject({ fromCache: false });
    expect(withPipe.result).toContain('not a regular file (named pipe), skipped');
    expect((await run()).fromCache).toBe(true);
    unlinkSync(at('services/payment/src/events.pipe.ts'));
    await settled();
    expect((await run()).fromCache).toBe(false);
  });

  it('is rebuilt when damaged', async () => {
    writeFileSync(path.join(cacheLocation, 'discovery.json'), '{"format":"choreolint-discovery","version":1,"key":');
    expect((await run()).fromCache).toBe(false);
    expect((await run()).fromCache).toBe(true);
  });
});

describe('what a discovery read', () => {
  const repo = gitCopyOf('saga-order-flow');
  afterAll(() => repo.remove());

  it('has no stamps to trust while a directory changed within the racy window', async () => {
    mkdirSync(path.join(repo.dir, 'services/payment/src/fresh'));
    const inputs = new DiscoveryInputs(repo.dir);
    discoverProject(repo.dir, defaultConfig(repo.dir), inputs);
    expect(inputs.settled((stamp) => isRacy(stamp, Date.now()))).toBeUndefined();
    // As a run that starts a minute from now would see them.
    const recorded = inputs.settled((stamp) => isRacy(stamp, Date.now() + 60_000))!;
    // Every directory listed (the root is ''), the .gitignore and every manifest read.
    expect(recorded.directories.map(([dir]) => dir)).toContain('services/payment/src/fresh');
    expect(recorded.directories.map(([dir]) => dir)).toContain('');
    expect(recorded.files.map(([file]) => file).sort()).toEqual([
      '.gitignore',
      'package.json',
      'packages/contracts/package.json',
      'services/inventory/package.json',
      'services/notification/package.json',
      'services/order/package.json',
      'services/payment/package.json',
      'services/shipping/package.json',
    ]);
  });
});
