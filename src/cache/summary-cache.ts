import { createHash } from 'node:crypto';
import path from 'node:path';
import type { FileSummary } from '../model/summary.js';
import { cachesAreResident, deepFreeze, readCacheFile, writeCacheFile } from './resident.js';

const FORMAT = 'choreolint-summary-cache';
const FORMAT_VERSION = 2;
const FILE_NAME = 'summaries.jsonl';

export interface SummaryCache {
  /** The cached summary of a file's content, if the cache has it. */
  get(key: string): FileSummary | undefined;
  set(key: string, summary: FileSummary): void;
  /** Whether the cache holds exactly `summary` under `key`. */
  holdsSame(key: string, summary: FileSummary): boolean;
  /**
   * Writes the entries used in this run (atomically), when anything changed; with `keepUnused`,
   * the others too (a run that reused a result used few, but the next may need them all).
   */
  save(options?: { keepUnused?: boolean }): void;
}

/** The cache key of a file's content: its extension decides how it parses, so it is part of it. */
export function contentKey(file: string, text: string): string {
  return createHash('sha1').update(path.extname(file)).update('\0').update(text).digest('hex');
}

/**
 * Per-file extraction summaries keyed by content hash, valid for one tool build and extraction
 * config (`fingerprint`). A missing, corrupt, truncated or foreign cache is ignored and rebuilt:
 * the cache can only make a run faster, never fail it.
 *
 * The file is a header line, then one `key summary-json` line per entry: an entry is parsed only
 * when a file asks for it, and an entry that did not change is written back as the text it was
 * read as, so that a run after a one-file change neither parses nor serializes the others.
 */
export function openSummaryCache(location: string, fingerprint: string): SummaryCache {
  const file = path.join(location, FILE_NAME);
  const read = readCacheFile(file, readEntries);
  const stored: Map<string, string | FileSummary> = read?.fingerprint === fingerprint ? read.entries : new Map();
  // A resident process hands the same summaries to the next run: parsed once, and frozen.
  const resident = cachesAreResident();
  const used = new Map<string, string | FileSummary>();
  let changed = false;
  return {
    get(key) {
      const entry = used.get(key) ?? stored.get(key);
      if (entry === undefined) return undefined;
      const summary = typeof entry === 'string' ? parseSummary(entry) : entry;
      if (summary && resident && summary !== entry) {
        deepFreeze(summary);
        serialized.set(summary, entry as string);
        stored.set(key, summary);
        used.set(key, summary);
      } else if (summary) {
        used.set(key, entry);
      }
      return summary;
    },
    set(key, summary) {
      used.set(key, resident ? deepFreeze(summary) : summary);
      changed = true;
    },
    holdsSame(key, summary) {
      const entry = used.get(key) ?? stored.get(key);
      if (entry === undefined) return false;
      return (typeof entry === 'string' ? entry : serialize(entry)) === JSON.stringify(summary);
    },
    save({ keepUnused = false } = {}) {
      const entries = keepUnused ? new Map<string, string | FileSummary>([...stored, ...used]) : used;
      if (!changed && entries.size === stored.size) return;
      writeCacheFile(file, { fingerprint, entries } satisfies StoredEntries, () => {
        const lines = [JSON.stringify({ format: FORMAT, version: FORMAT_VERSION, fingerprint })];
        for (const key of [...entries.keys()].sort()) {
          const entry = entries.get(key)!;
          lines.push(`${key} ${typeof entry === 'string' ? entry : serialize(entry)}`);
        }
        return `${lines.join('\n')}\n`;
      });
    },
  };
}

/** The text of summaries a resident process keeps (they are frozen: the text stays theirs), so that it is written without serializing them again. */
const serialized = new WeakMap<FileSummary, string>();

function serialize(summary: FileSummary): string {
  let text = serialized.get(summary);
  if (text === undefined) {
    text = JSON.stringify(summary);
    if (Object.isFrozen(summary)) serialized.set(summary, text);
  }
  return text;
}

/** A cache file's entries (unparsed text until a run asks for one) and the fingerprint they are valid for. */
interface StoredEntries {
  fingerprint: string;
  entries: Map<string, string | FileSummary>;
}

/** The entries of a cache file, or undefined when its header is not this cache's. */
function readEntries(text: string): StoredEntries | undefined {
  const lines = text.split('\n');
  let fingerprint: unknown;
  try {
    const header = JSON.parse(lines[0]!) as { format?: unknown; version?: unknown; fingerprint?: unknown };
    if (header.format !== FORMAT || header.version !== FORMAT_VERSION || typeof header.fingerprint !== 'string') return undefined;
    fingerprint = header.fingerprint;
  } catch {
    return undefined;
  }
  const entries = new Map<string, string | FileSummary>();
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index]!;
    const space = line.indexOf(' ');
    if (space > 0) entries.set(line.slice(0, space), line.slice(space + 1));
  }
  return { fingerprint: fingerprint as string, entries };
}

function parseSummary(text: string): FileSummary | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return isSummary(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isSummary(value: unknown): value is FileSummary {
  if (!value || typeof value !== 'object') return false;
  const summary = value as Partial<Record<keyof FileSummary, unknown>>;
  return Array.isArray(summary.imports) && Array.isArray(summary.functions) && Array.isArray(summary.declarations) && Array.isArray(summary.routes) && Array.isArray(summary.suppressions);
}
