import path from 'node:path';
import type { Result } from '../model/result.js';
import { readCacheFile, writeCacheFile } from './resident.js';

const FILE_NAME = 'result.json';
const FORMAT = 'choreolint-result-cache';
const FORMAT_VERSION = 2;

/**
 * What the cached result was linked from, besides file contents: `base` hashes the tool build (version and bundle hash),
 * the config, the project layout and the data files; `loaded` lists the files link loaded (with
 * their content keys, whether each passed the prefilter and whether reading it warned), and
 * `scanTokens` the tokens it scanned the other files for.
 */
export interface ResultInputs {
  base: string;
  loaded: Array<[file: string, key: string, seed: boolean, warned: boolean]>;
  scanTokens: string[];
}

/** The cached result's key and inputs, with its document still unparsed. */
export interface CachedResult {
  key: string;
  inputs: ResultInputs;
  /**
   * The result document's text: parsed only when it is used, and serialized only when it is first
   * asked for (in the daemon, after the reply: serializing a 10,000-file result takes 15–20 ms).
   */
  document: () => string;
}

/**
 * The last run's result document, keyed by everything it was computed from (tool build, config,
 * layout, every file's content). A warm run whose key matches skips linking and checking; one whose
 * key differs can still use it when the inputs show that link would see the same (see
 * `loadsAsBefore`). Key and inputs are on a first line of their own, so that a run that cannot use
 * the document does not parse it.
 */
export function readResultCache(location: string): CachedResult | undefined {
  return readCacheFile(path.join(location, FILE_NAME), (text) => {
    const headerEnd = text.indexOf('\n');
    if (headerEnd === -1) return undefined;
    const header = JSON.parse(text.slice(0, headerEnd)) as { format?: unknown; version?: unknown; key?: unknown; inputs?: unknown };
    if (header.format !== FORMAT || header.version !== FORMAT_VERSION || typeof header.key !== 'string' || !isInputs(header.inputs)) return undefined;
    const document = text.slice(headerEnd + 1);
    return { key: header.key, inputs: header.inputs, document: () => document };
  });
}

/** The cached document, or undefined when it does not parse (a damaged cache is an empty one). */
export function parseCachedDocument(cached: CachedResult): Result | undefined {
  try {
    const result = JSON.parse(cached.document()) as Result | null;
    return result && typeof result === 'object' ? result : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stores a result document (or the text of one already stored) under its key and inputs. The
 * result must not change afterwards: it is serialized when the cache file is written.
 */
export function writeCachedResult(location: string, key: string, inputs: ResultInputs, result: Result | (() => string)): void {
  const document = typeof result === 'function' ? result : serializeOnce(result);
  const cached: CachedResult = { key, inputs, document };
  writeCacheFile(path.join(location, FILE_NAME), cached, () => `${JSON.stringify({ format: FORMAT, version: FORMAT_VERSION, key, inputs })}\n${document()}`);
}

function isInputs(value: unknown): value is ResultInputs {
  if (!value || typeof value !== 'object') return false;
  const inputs = value as Partial<Record<keyof ResultInputs, unknown>>;
  return (
    typeof inputs.base === 'string' &&
    Array.isArray(inputs.scanTokens) &&
    inputs.scanTokens.every((token) => typeof token === 'string') &&
    Array.isArray(inputs.loaded) &&
    inputs.loaded.every(
      (entry) => Array.isArray(entry) && entry.length === 4 && typeof entry[0] === 'string' && typeof entry[1] === 'string' && typeof entry[2] === 'boolean' && typeof entry[3] === 'boolean',
    )
  );
}

/** The document's text, made on the first call; the result itself is let go then (a daemon keeps the text). */
function serializeOnce(result: Result): () => string {
  let unserialized: Result | undefined = result;
  let text = '';
  return () => {
    if (unserialized) {
      text = JSON.stringify(unserialized);
      unserialized = undefined;
    }
    return text;
  };
}
