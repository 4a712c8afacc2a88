import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import type { Result } from '../model/result.js';

const FILE_NAME = 'result.json';
const FORMAT = 'choreolint-result-cache';

/**
 * The last run's result document, keyed by everything it was computed from (tool version, config,
 * every file read and its content). A warm run whose key matches skips linking and checking: it
 * has read the files, which it must do to know that nothing changed, and nothing more. The key is
 * on a first line of its own, so that a run whose key differs does not parse the document.
 */
export function readCachedResult(location: string, key: string): Result | undefined {
  try {
    const text = readFileSync(path.join(location, FILE_NAME), 'utf8');
    const headerEnd = text.indexOf('\n');
    if (headerEnd === -1) return undefined;
    const header = JSON.parse(text.slice(0, headerEnd)) as { format?: unknown; key?: unknown };
    if (header.format !== FORMAT || header.key !== key) return undefined;
    const result = JSON.parse(text.slice(headerEnd + 1)) as Result | null;
    return result && typeof result === 'object' ? result : undefined;
  } catch {
    return undefined;
  }
}

export function writeCachedResult(location: string, key: string, result: Result): void {
  try {
    mkdirSync(location, { recursive: true });
    writeFileAtomic(path.join(location, FILE_NAME), `${JSON.stringify({ format: FORMAT, key })}\n${JSON.stringify(result)}`);
  } catch {
    // An unwritable cache only costs the next run its speed.
  }
}
