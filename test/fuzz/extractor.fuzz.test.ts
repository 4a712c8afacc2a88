import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { generatedRepo, invalidConfig, mutatedConfig } from './generators.js';
import { analyzeRepo, expectBreakageReported, expectModel, expectOutcomeAllowed, expectSameOutcome, expectWellFormed, isExact } from './properties.js';
import { fuzzSettings, shuffled, writeRepo } from './run-settings.js';

/**
 * Property-based runs over generated repositories (see generators.ts). CI runs a short pass with a
 * fixed seed; `npm run fuzz` runs long with a random seed, printed so a failure can be replayed
 * with FUZZ_SEED=… (fast-check also prints the counterexample's seed and path).
 */
const { runs, seed, long } = fuzzSettings();
if (long) console.log(`fuzz: ${runs} runs with seed ${seed}; replay with FUZZ_SEED=${seed} FUZZ_RUNS=${runs} npm run fuzz`);
const parameters = (share: number) => ({ seed, numRuns: Math.max(1, Math.round(runs * share)), endOnFailure: !long });
const timeout = Math.max(60_000, runs * 600);

let base: string;
let counter = 0;
/** A fresh directory per run, always named `repo`: the result's repository name falls back to it. */
const freshDir = () => path.join(base, String(counter++), 'repo');

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'choreolint-fuzz-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('fuzzing the extractor with generated repositories', () => {
  it(
    'never throws but a ConfigError; the result is valid, points into the input, and equals the model of the code as written',
    async () => {
      await fc.assert(
        fc.asyncProperty(generatedRepo(), async (repo) => {
          const dir = freshDir();
          try {
            writeRepo(dir, repo.files);
            const outcome = await analyzeRepo(dir);
            if (!expectOutcomeAllowed(repo, dir, outcome)) return;
            expectWellFormed(repo, outcome.result);
            expectBreakageReported(repo, outcome.result);
            if (isExact(repo)) expectModel(repo, outcome.result);
          } finally {
            rmSync(path.dirname(dir), { recursive: true, force: true });
          }
        }),
        parameters(1),
      );
    },
    timeout,
  );

  it(
    'is deterministic: the same repository written in another order gives byte-identical JSON',
    async () => {
      await fc.assert(
        fc.asyncProperty(generatedRepo({ services: 2 }), fc.nat(), async (repo, order) => {
          const first = freshDir();
          const second = freshDir();
          try {
            writeRepo(first, repo.files);
            writeRepo(second, shuffled(repo.files, order));
            expectSameOutcome(await analyzeRepo(first), await analyzeRepo(second));
          } finally {
            rmSync(path.dirname(first), { recursive: true, force: true });
            rmSync(path.dirname(second), { recursive: true, force: true });
          }
        }),
        parameters(0.25),
      );
    },
    timeout,
  );

  it(
    'rejects an invalid config with a one-line ConfigError naming the file and line, never another error',
    async () => {
      await fc.assert(
        fc.asyncProperty(generatedRepo({ config: fc.oneof(invalidConfig, mutatedConfig), breakage: false, services: 1 }), async (repo) => {
          const dir = freshDir();
          try {
            writeRepo(dir, repo.files);
            const outcome = await analyzeRepo(dir);
            if (expectOutcomeAllowed(repo, dir, outcome)) expectWellFormed(repo, outcome.result);
          } finally {
            rmSync(path.dirname(dir), { recursive: true, force: true });
          }
        }),
        parameters(0.5),
      );
    },
    timeout,
  );
});
