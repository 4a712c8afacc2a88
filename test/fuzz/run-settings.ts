import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GeneratedFile } from './render-repo.js';

/** The seed CI runs with: a fixed one, so the short pass is the same on every machine. */
const CI_SEED = 20_240_611;
const CI_RUNS = 80;

/**
 * How long and with which seed to fuzz: FUZZ_RUNS (default: the short CI pass), FUZZ_SEED (default:
 * the CI seed, or a random one printed for replay when FUZZ_RUNS asks for a long run).
 */
export function fuzzSettings(): { runs: number; seed: number; long: boolean } {
  const requestedRuns = Number(process.env.FUZZ_RUNS);
  const long = Number.isInteger(requestedRuns) && requestedRuns > 0;
  const requestedSeed = Number(process.env.FUZZ_SEED);
  const seed = process.env.FUZZ_SEED && Number.isInteger(requestedSeed) ? requestedSeed : long ? Math.floor(Math.random() * 2 ** 31) : CI_SEED;
  return { runs: long ? requestedRuns : CI_RUNS, seed, long };
}

/** Writes the files under `dir`, in the given order. */
export function writeRepo(dir: string, files: readonly GeneratedFile[]): void {
  for (const file of files) {
    const target = path.join(dir, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
}

/** The same files in another order, deterministic in `seed`. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  let state = seed >>> 0 || 1;
  for (let index = result.length - 1; index > 0; index--) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    const other = state % (index + 1);
    [result[index], result[other]] = [result[other]!, result[index]!];
  }
  return result;
}
