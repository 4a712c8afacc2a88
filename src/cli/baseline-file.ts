import { existsSync, readFileSync } from 'node:fs';
import { BASELINE_FORMAT, BASELINE_VERSION, type Baseline } from '../check/baseline.js';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import { UsageError } from '../model/errors.js';

export const DEFAULT_BASELINE = '.choreolint-baseline.json';

export function readBaseline(file: string): Baseline | undefined {
  if (!existsSync(file)) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`${file}: not a baseline: ${(error as Error).message}`);
  }
  const baseline = data as Partial<Baseline>;
  if (baseline.format !== BASELINE_FORMAT || baseline.version !== BASELINE_VERSION || !Array.isArray(baseline.findings)) {
    throw new UsageError(`${file}: not a choreolint baseline (expected format "${BASELINE_FORMAT}", version ${BASELINE_VERSION})`);
  }
  return baseline as Baseline;
}

/** Written atomically, two-space JSON, one finding per entry: reviewable in a pull request. */
export function writeBaseline(file: string, baseline: Baseline): void {
  writeFileAtomic(file, `${JSON.stringify(baseline, null, 2)}\n`);
}
