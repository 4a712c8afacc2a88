import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../io/write-file-atomic.js';

/**
 * The cache files (file index, summaries, result) as a run reads and writes them. A CLI run reads
 * each from disk and writes it before it exits. A resident process (the daemon) keeps what it last
 * read or wrote in memory, and takes it from there while the file on disk is still the one it read
 * or wrote (same size, times and inode: a write by another process renames a new file over it).
 * Its writes wait until the reply has gone (`flushCacheWrites`), so a run costs neither parsing nor
 * serializing the caches.
 */
interface Remembered {
  value: unknown;
  /** Undefined while the write is pending. */
  stamp: string | undefined;
}

/** Enough for the caches of a few repositories; the least recently used go first. */
const MAX_REMEMBERED = 24;

let resident: { remembered: Map<string, Remembered>; pending: Map<string, () => string>; hits: number; misses: number } | undefined;

/** From now on, this process keeps cache files in memory between runs and defers their writes (with false: no more, after writing what is pending). */
export function keepCachesResident(keep = true): void {
  if (keep) {
    resident ??= { remembered: new Map(), pending: new Map(), hits: 0, misses: 0 };
  } else {
    flushCacheWrites();
    resident = undefined;
  }
}

export function cachesAreResident(): boolean {
  return resident !== undefined;
}

/** How often a run took a cache file from memory, and how often it read one from disk. */
export function residentCacheStats(): { hits: number; misses: number; files: number } {
  return { hits: resident?.hits ?? 0, misses: resident?.misses ?? 0, files: resident?.remembered.size ?? 0 };
}

/**
 * A cache file's content as `parse` makes it (undefined: missing, unreadable or not a cache this
 * run can use). `parse` must not return a value the caller will change: in a resident process the
 * next run gets the same one.
 */
export function readCacheFile<T>(file: string, parse: (text: string) => T | undefined): T | undefined {
  if (!resident) {
    try {
      return parse(readFileSync(file, 'utf8'));
    } catch {
      return undefined;
    }
  }
  const remembered = resident.remembered.get(file);
  if (remembered) {
    resident.remembered.delete(file);
    const stats = remembered.stamp === undefined ? undefined : lstatOrUndefined(file);
    if (remembered.stamp === undefined || (stats && remembered.stamp === stampOf(stats))) {
      resident.remembered.set(file, remembered);
      resident.hits++;
      return remembered.value as T;
    }
  }
  resident.misses++;
  let descriptor: number | undefined;
  try {
    descriptor = openSync(file, 'r');
    const stamp = stampOf(fstatSync(descriptor));
    const value = parse(readFileSync(descriptor, 'utf8'));
    if (value !== undefined) remember(file, { value, stamp });
    return value;
  } catch {
    return undefined;
  } finally {
    if (descriptor !== undefined) closeSync(descriptor);
  }
}

/**
 * Writes a cache file (atomically; an unwritable location only costs the next run its speed).
 * `value` is what `readCacheFile` returns for it next time in a resident process, which writes
 * `serialize()` only after the reply.
 */
export function writeCacheFile(file: string, value: unknown, serialize: () => string): void {
  if (!resident) {
    write(file, serialize);
    return;
  }
  remember(file, { value, stamp: undefined });
  resident.pending.set(file, serialize);
}

/** Writes what the runs since the last flush left pending, and remembers what each file now is. */
export function flushCacheWrites(): void {
  if (!resident) return;
  const pending = [...resident.pending];
  resident.pending.clear();
  for (const [file, serialize] of pending) {
    const remembered = resident.remembered.get(file);
    const written = write(file, serialize);
    // The stamp of the file on disk, if it is still the one written here (another process may have renamed its own over it since).
    const stats = written && lstatOrUndefined(file);
    if (remembered && stats && stats.ino === written.inode) remembered.stamp = stampOf(stats);
    else resident.remembered.delete(file);
  }
}

function remember(file: string, entry: Remembered): void {
  const { remembered } = resident!;
  remembered.delete(file);
  remembered.set(file, entry);
  for (const oldest of remembered.keys()) {
    if (remembered.size <= MAX_REMEMBERED) break;
    if (!resident!.pending.has(oldest)) remembered.delete(oldest);
  }
}

function write(file: string, serialize: () => string): { inode: number } | undefined {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    // No fsync: after a crash, a cache file the disk did not keep whole fails its checks and is rebuilt.
    return writeFileAtomic(file, serialize(), 'utf8', { durable: false });
  } catch {
    return undefined;
  }
}

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}

function stampOf(stats: Stats): string {
  return `${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}:${stats.ino}`;
}

/** Freezes a value and everything it holds, so that a run cannot change what the next one reads. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
