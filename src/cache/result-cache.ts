import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import type { Result } from '../model/result.js';

const FILE_NAME = 'result.json';
const FORMAT = 'choreolint-result-cache';

/**
 * The last run's result document, keyed by everything it was computed from (tool version, config,
 * every file read and its content). A warm run whose key matches skips linking and checking: it
 * has read the files, which it must do to know that nothing changed, and nothing more.
 */
export function readCachedResult(location: string, key: string): Result | undefined {
  try {
    const data = JSON.parse(readFileSync(path.join(location, FILE_NAME), 'utf8')) as { format?: unknown; key?: unknown; result?: Result };
    return data.format === FORMAT && data.key === key && data.result ? data.result : undefined;
  } catch {
    return undefined;
  }
}

export function writeCachedResult(location: string, key: string, result: Result): void {
  try {
    mkdirSync(location, { recursive: true });
    writeFileAtomic(path.join(location, FILE_NAME), JSON.stringify({ format: FORMAT, key, result }));
  } catch {
    // An unwritable cache only costs the next run its speed.
  }
}
