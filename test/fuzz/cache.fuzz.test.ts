import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, type RunMetrics } from '../../src/analyze.js';
import { flushCacheWrites, keepCachesResident } from '../../src/cache/resident.js';
import { generatedRepo } from './generators.js';
import { expectSameOutcome, type Outcome } from './properties.js';
import type { GeneratedFile } from './render-repo.js';
import { fuzzSettings, writeRepo } from './run-settings.js';

/**
 * The caches (file index, summaries, result, result reuse) may only make a run faster: after any
 * sequence of edits, a warm run gives byte for byte what a run without a cache gives.
 */
const { runs, seed, long } = fuzzSettings();
if (long) console.log(`cache fuzz: ${Math.max(1, Math.round(runs * 0.25))} runs with seed ${seed}; replay with FUZZ_SEED=${seed} FUZZ_RUNS=${runs} npm run fuzz`);
const timeout = Math.max(60_000, runs * 1500);

/** An edit to one file of the repository. */
type Edit =
  | { kind: 'comment-end' | 'comment-top' | 'blank-top' | 'export-end' | 'delete'; file: number }
  | { kind: 'swap'; file: number; with: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constantFrom('comment-end', 'comment-top', 'blank-top', 'export-end', 'delete'), file: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), file: fc.nat(), with: fc.nat() }),
);

function applyEdits(files: GeneratedFile[], edits: readonly Edit[], step: number): { files: GeneratedFile[]; deleted: string[] } {
  const next = files.map((file) => ({ ...file }));
  const deleted: string[] = [];
  const sources = () => next.map((file, index) => ({ file, index })).filter(({ file }) => /\.(ts|js)$/.test(file.path));
  for (const change of edits) {
    const candidates = sources();
    if (candidates.length === 0) break;
    const target = candidates[change.file % candidates.length]!;
    switch (change.kind) {
      case 'comment-end':
        target.file.content += `\n// edit ${step}\n`;
        break;
      case 'comment-top':
        target.file.content = `// edit ${step}\n${target.file.content}`;
        break;
      case 'blank-top':
        target.file.content = `\n\n${target.file.content}`;
        break;
      case 'export-end':
        target.file.content += `\nexport const edited${step} = ${step};\n`;
        break;
      case 'delete':
        deleted.push(target.file.path);
        next.splice(target.index, 1);
        break;
      case 'swap': {
        const other = candidates[change.with % candidates.length]!;
        [target.file.content, other.file.content] = [other.file.content, target.file.content];
        break;
      }
    }
  }
  return { files: next, deleted };
}

async function outcomeOf(dir: string, cacheLocation?: string, metrics?: RunMetrics): Promise<Outcome> {
  try {
    return { result: await analyze({ dir, ...(cacheLocation ? { cacheLocation } : {}), ...(metrics ? { metrics } : {}) }) };
  } catch (error) {
    return { error };
  }
}

let base: string;
let counter = 0;

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'choreolint-cache-fuzz-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('fuzzing the caches with generated repositories and edits', () => {
  it(
    'after every round of edits, a warm run gives byte for byte what a run without a cache gives',
    () => fuzzCaches({ resident: false }),
    timeout,
  );

  it(
    'the same in a resident process (the daemon): caches kept in memory, written after each run',
    async () => {
      keepCachesResident();
      try {
        await fuzzCaches({ resident: true });
      } finally {
        keepCachesResident(false);
      }
    },
    timeout,
  );
});

async function fuzzCaches({ resident }: { resident: boolean }): Promise<void> {
  let reused = 0;
  let remembered = 0;
  let discovered = 0;
  await fc.assert(
    fc.asyncProperty(generatedRepo({ services: 2 }), fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }), fc.boolean(), async (repo, rounds, settle) => {
      const dir = path.join(base, String(counter++), 'repo');
      const cacheLocation = path.join(base, `${counter}-cache`);
      const warmRun = async (metrics?: RunMetrics) => {
        const outcome = await outcomeOf(dir, cacheLocation, metrics);
        // What the daemon does once the reply has gone.
        if (resident) flushCacheWrites();
        return outcome;
      };
      try {
        let files = repo.files;
        writeRepo(dir, files);
        expectSameOutcome(await outcomeOf(dir), await warmRun());
        for (const [step, edits] of rounds.entries()) {
          // Settled files are trusted by their stamp; fresh ones are read again (both must hold).
          if (settle) await sleep(120);
          const next = applyEdits(files, edits, step);
          for (const file of next.deleted) unlinkSync(path.join(dir, file));
          const before = new Map(files.map((file) => [file.path, file.content]));
          writeRepo(dir, next.files.filter((file) => before.get(file.path) !== file.content));
          files = next.files;
          if (settle) await sleep(120);
          const metrics: RunMetrics = { filesRead: 0, filesParsed: 0, cacheHits: 0 };
          const warm = await warmRun(metrics);
          if (metrics.resultReused) reused++;
          if (metrics.reach?.remembered) remembered++;
          if (metrics.discoveryFromCache) discovered++;
          expectSameOutcome(await outcomeOf(dir), warm);
        }
      } finally {
        rmSync(path.dirname(dir), { recursive: true, force: true });
        rmSync(cacheLocation, { recursive: true, force: true });
      }
    }),
    { seed, numRuns: Math.max(1, Math.round(runs * 0.25)), endOnFailure: !long },
  );
  // The property is only worth as much as the paths it takes: some rounds must reuse the result and
  // take discovery from the cache, and in a resident process some must link with what handlers
  // reached in earlier runs.
  expect(reused).toBeGreaterThan(0);
  expect(discovered).toBeGreaterThan(0);
  if (resident) expect(remembered).toBeGreaterThan(0);
}
