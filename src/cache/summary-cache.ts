import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import type { FileSummary } from '../model/summary.js';

const FORMAT = 'choreolint-summary-cache';
const FORMAT_VERSION = 1;
const FILE_NAME = 'summaries.json';

export interface SummaryCache {
  /** The cached summary of a file's content, if the cache has it. */
  get(key: string): FileSummary | undefined;
  set(key: string, summary: FileSummary): void;
  /** Writes the entries used in this run (atomically), when anything changed. */
  save(): void;
}

/** The cache key of a file's content: its extension decides how it parses, so it is part of it. */
export function contentKey(file: string, text: string): string {
  return createHash('sha1').update(path.extname(file)).update('\0').update(text).digest('hex');
}

/**
 * Per-file extraction summaries keyed by content hash, valid for one tool version and extraction
 * config (`fingerprint`). A missing, corrupt, truncated or foreign cache is ignored and rebuilt:
 * the cache can only make a run faster, never fail it.
 */
export function openSummaryCache(location: string, fingerprint: string): SummaryCache {
  const file = path.join(location, FILE_NAME);
  const stored = readEntries(file, fingerprint);
  const used = new Map<string, FileSummary>();
  let changed = false;
  return {
    get(key) {
      const summary = used.get(key) ?? stored.get(key);
      if (summary) used.set(key, summary);
      return summary;
    },
    set(key, summary) {
      used.set(key, summary);
      changed = true;
    },
    save() {
      if (!changed && used.size === stored.size) return;
      const entries = Object.fromEntries([...used.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      try {
        mkdirSync(location, { recursive: true });
        writeFileAtomic(file, JSON.stringify({ format: FORMAT, version: FORMAT_VERSION, fingerprint, entries }));
      } catch {
        // An unwritable cache location only costs the next run its speed.
      }
    },
  };
}

function readEntries(file: string, fingerprint: string): Map<string, FileSummary> {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { format?: unknown; version?: unknown; fingerprint?: unknown; entries?: unknown };
    if (data.format !== FORMAT || data.version !== FORMAT_VERSION || data.fingerprint !== fingerprint) return new Map();
    if (!data.entries || typeof data.entries !== 'object') return new Map();
    return new Map(Object.entries(data.entries as Record<string, FileSummary>).filter(([, summary]) => isSummary(summary)));
  } catch {
    return new Map();
  }
}

function isSummary(value: unknown): value is FileSummary {
  if (!value || typeof value !== 'object') return false;
  const summary = value as Partial<Record<keyof FileSummary, unknown>>;
  return Array.isArray(summary.imports) && Array.isArray(summary.functions) && Array.isArray(summary.declarations) && Array.isArray(summary.routes) && Array.isArray(summary.suppressions);
}
