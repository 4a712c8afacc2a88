import path from 'node:path';
import { sameStamp } from '../discover/index.js';
import type { FileStamp } from '../model/project.js';
import { compareStrings } from '../util/compare.js';
import { readCacheFile, writeCacheFile } from './resident.js';

const FORMAT = 'choreolint-file-index';
const FORMAT_VERSION = 2;
const FILE_NAME = 'files.json';
/**
 * A file changed this close to the read that recorded it may change again within the file system's
 * timestamp resolution without its stamp changing ("racily clean", as git calls it): such a file
 * is recorded without its stamp, and read again next run. Linux stamps files from a clock that
 * ticks every 1–10 ms; file systems that keep whole seconds (FAT keeps two) get two seconds.
 */
const RACY_MS = 100;
const RACY_COARSE_MS = 2000;

/** Whether a stamp taken in a run that started at `runStartedAt` may not show a change made since (see RACY_MS). */
export function isRacy(stamp: FileStamp, runStartedAt: number): boolean {
  return stamp.changedAt >= runStartedAt - (stamp.coarse ? RACY_COARSE_MS : RACY_MS);
}

export interface FileIndex {
  /**
   * The content key an earlier run recorded for the file, if its stamp is still the one recorded:
   * the file has not changed since, and need not be read to know its content.
   */
  unchangedKey(file: string, stamp: FileStamp | undefined): string | undefined;
  /** Whether an unchanged file's text holds `token`, as an earlier run found, or undefined when none looked. */
  holds(file: string, token: string): boolean | undefined;
  /** A file read in this run, with the key of its content. */
  record(file: string, stamp: FileStamp, key: string): void;
  /** Whether the text of a file known to this run (read or unchanged) holds `token`. */
  learn(file: string, token: string, holds: boolean): void;
  /** Writes the entries of `files` (atomically), when anything changed. */
  save(files: readonly string[]): void;
}

/** Stamp, content key, and the indexes (into the index's tokens) of the tokens the text holds and lacks. */
type Entry = [stamp: StampId | null, key: string, holds: number[], lacks: number[]];

type StampId = FileStamp['id'];

function sameRecordedStamp(stored: StampId | null, stamp: StampId): boolean {
  return stored !== null && stored.length === 4 && sameStamp(stored, stamp);
}

interface StoredIndex {
  format: string;
  version: number;
  fingerprint: string;
  tokens: string[];
  files: Record<string, Entry>;
}

/**
 * What earlier runs learned of each file without keeping its text: the stamp it had when read, the
 * key of its content (which keys the summary cache) and which prefilter tokens its text holds. A warm
 * run takes a file whose stamp is unchanged from here instead of reading it, so that a run after a
 * one-file change reads one file. Valid for one tool build and extraction config (`fingerprint`):
 * a missing, corrupt or foreign index is ignored and rebuilt.
 */
export function openFileIndex(location: string, fingerprint: string, runStartedAt: number): FileIndex {
  const file = path.join(location, FILE_NAME);
  const read = readCacheFile(file, parseIndex);
  const valid = read?.fingerprint === fingerprint;
  // What was read is not changed here: a resident process hands it to the next run as it is.
  const tokens = valid ? [...read.tokens] : [];
  const stored = valid ? read.files : EMPTY;
  const storedCount = valid ? read.count : 0;
  const storedEntry = (name: string): Entry | undefined => (Object.hasOwn(stored, name) ? stored[name] : undefined);
  const tokenIndex = new Map(tokens.map((token, index) => [token, index]));
  const indexOf = (token: string) => {
    let index = tokenIndex.get(token);
    if (index === undefined) {
      index = tokens.push(token) - 1;
      tokenIndex.set(token, index);
    }
    return index;
  };
  const current = new Map<string, Entry>();
  const racy = new Set<string>();
  let changed = false;
  return {
    unchangedKey(name, stamp) {
      const entry = storedEntry(name);
      if (!stamp || !isEntry(entry) || !sameRecordedStamp(entry[0], stamp.id)) return undefined;
      current.set(name, entry);
      return entry[1];
    },
    holds(name, token) {
      const entry = current.get(name);
      const index = tokenIndex.get(token);
      if (!entry || index === undefined) return undefined;
      return entry[2].includes(index) ? true : entry[3].includes(index) ? false : undefined;
    },
    record(name, stamp, key) {
      // What the text holds depends on the text alone: a file touched but not changed keeps it.
      const earlier = storedEntry(name);
      const same = earlier?.[1] === key && isEntry(earlier);
      current.set(name, [stamp.id, key, same ? [...earlier[2]] : [], same ? [...earlier[3]] : []]);
      if (isRacy(stamp, runStartedAt)) racy.add(name);
      changed = true;
    },
    learn(name, token, holds) {
      let entry = current.get(name);
      if (!entry) return;
      const index = indexOf(token);
      if ((holds ? entry[2] : entry[3]).includes(index)) return;
      if (entry === storedEntry(name)) {
        entry = [entry[0], entry[1], [...entry[2]], [...entry[3]]];
        current.set(name, entry);
      }
      const [add, remove] = holds ? [entry[2], entry[3]] : [entry[3], entry[2]];
      add.push(index);
      if (remove.includes(index)) remove.splice(remove.indexOf(index), 1);
      changed = true;
    },
    save(files) {
      const kept = files.filter((name) => current.has(name));
      if (!changed && kept.length === storedCount) return;
      const entries: Record<string, Entry> = Object.create(null) as Record<string, Entry>;
      for (const name of kept.sort(compareStrings)) {
        const entry = current.get(name)!;
        const [stamp, key, holds, lacks] = entry;
        // A racy entry keeps what the text holds (for when the file is read again) but no stamp to trust.
        entries[name] = racy.has(name) ? [null, key, holds.sort(byNumber), lacks.sort(byNumber)] : entry === storedEntry(name) ? entry : [stamp, key, holds.sort(byNumber), lacks.sort(byNumber)];
      }
      const index: StoredIndex = { format: FORMAT, version: FORMAT_VERSION, fingerprint, tokens, files: entries };
      writeCacheFile(file, { fingerprint, tokens, files: entries, count: kept.length } satisfies ReadIndex, () => JSON.stringify(index));
    },
  };
}

const byNumber = (a: number, b: number) => a - b;

const EMPTY: Record<string, Entry> = {};

/** An index as read: the fingerprint it is valid for, its tokens, its entries and how many. */
interface ReadIndex {
  fingerprint: string;
  tokens: string[];
  files: Record<string, Entry>;
  count: number;
}

/** The stored tokens and entries; entries are checked when a run uses them (most runs use a few). */
function parseIndex(text: string): ReadIndex | undefined {
  const index = JSON.parse(text) as Partial<StoredIndex> | null;
  const tokens = index?.tokens;
  if (index?.format !== FORMAT || index.version !== FORMAT_VERSION || typeof index.fingerprint !== 'string') return undefined;
  if (!Array.isArray(tokens) || !tokens.every((token) => typeof token === 'string') || !index.files || typeof index.files !== 'object' || Array.isArray(index.files)) return undefined;
  return { fingerprint: index.fingerprint, tokens, files: index.files, count: Object.keys(index.files).length };
}

/**
 * An entry of the right shape. The token indexes are not checked one by one: one that is not a
 * token's only makes `holds` answer "not known", which reads the file.
 */
function isEntry(entry: unknown): entry is Entry {
  return Array.isArray(entry) && entry.length === 4 && (entry[0] === null || Array.isArray(entry[0])) && typeof entry[1] === 'string' && Array.isArray(entry[2]) && Array.isArray(entry[3]);
}
