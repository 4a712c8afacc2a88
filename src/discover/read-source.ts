import { isUtf8 } from 'node:buffer';
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { FileStamp } from '../model/project.js';

/** Something wrong with a text that was still read (bytes that are not UTF-8). */
export interface SourceWarning {
  code: string;
  message: string;
  line: number;
  column: number;
}

export type { FileStamp };

export type SourceText = { text: string; warning?: SourceWarning; stamp?: FileStamp } | { error: string; missing?: true; outside?: true };

/**
 * Files above this size are skipped: hand-written code that publishes events is never this big,
 * generated and bundled code is, and a 10 MB file costs seconds and a gigabyte to parse.
 */
export const MAX_SOURCE_BYTES = 5 * 1024 * 1024;

const BINARY_PROBE_BYTES = 8000;
// Non-blocking so that a named pipe put where a file was cannot block the run; no-follow so that a
// symbolic link is seen as one and resolved (and refused outside the root) before it is read.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);
/** What opening a symbolic link with O_NOFOLLOW fails with (Linux and macOS; FreeBSD). */
const IS_SYMLINK = new Set(['ELOOP', 'EMLINK']);

/**
 * A source file's text, or why it cannot be analyzed (unreadable, vanished, not a regular file,
 * too large, binary, outside the root through a symbolic link). Never reads outside `root`.
 */
export function readSourceText(root: string, file: string): SourceText {
  const bytes = readInsideRoot(root, file);
  if ('error' in bytes) return bytes;
  const source = decodeSource(bytes.data);
  return bytes.stamp && 'text' in source && !source.warning ? { ...source, stamp: bytes.stamp } : source;
}

/**
 * The stamp of a regular file inside `root`, or undefined (a symbolic link, anything else, or
 * nothing there). A symbolic link has none: what it points at can change under the same stamp.
 */
export function stampSourceFile(root: string, file: string): FileStamp | undefined {
  const full = pathInside(root, file);
  try {
    if (!full || !isDirectoryInside(root, directoryOf(full))) return undefined;
    const stats = lstatSync(full, { throwIfNoEntry: false });
    return stats?.isFile() ? stampOf(stats) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The absolute path of `file` under `root`, or undefined when it leads outside. Discovery's paths
 * are relative and clean: joining them is exact, and far cheaper than path.resolve and
 * path.relative on each of 10,000 files. Any other path takes the careful route.
 */
function pathInside(root: string, file: string): string | undefined {
  if (path.sep === '/' && !UNCLEAN_RELATIVE.test(file)) return `${root}/${file}`;
  const full = path.resolve(root, file);
  return isInside(root, full) ? full : undefined;
}

function directoryOf(full: string): string {
  return full.slice(0, full.lastIndexOf(path.sep)) || path.sep;
}

/** A path that is absolute, has an empty, `.` or `..` segment, or a backslash. */
const UNCLEAN_RELATIVE = /^\/|\/\/|(?:^|\/)\.{1,2}(?:\/|$)|\\|^$/;

/** Whether two stamps are the same: the file (or directory) has not changed between them. */
export function sameStamp(a: FileStamp['id'], b: FileStamp['id']): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}

export function stampOf(stats: Stats): FileStamp {
  return {
    id: [stats.size, stats.mtimeMs, stats.ctimeMs, stats.ino],
    changedAt: Math.max(stats.mtimeMs, stats.ctimeMs),
    coarse: stats.mtimeMs % 1000 === 0 && stats.ctimeMs % 1000 === 0,
  };
}

/** The bytes of a regular file inside `root` (after resolving symbolic links), up to the size limit. */
function readInsideRoot(root: string, file: string): { data: Buffer; stamp?: FileStamp } | { error: string; missing?: true; outside?: true } {
  const full = pathInside(root, file);
  if (!full) return { error: 'outside the analyzed directory, not read', outside: true };
  let fd: number;
  let throughLink = false;
  try {
    if (!isDirectoryInside(root, directoryOf(full))) return { error: OUTSIDE, outside: true };
    fd = openSync(full, OPEN_FLAGS);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return { error: readErrorMessage(code), missing: true };
    if (!IS_SYMLINK.has(code)) return { error: readErrorMessage(code) };
    const target = resolveLink(root, full);
    if ('error' in target) return target;
    throughLink = true;
    try {
      fd = openSync(target.path, OPEN_FLAGS);
    } catch (linkError) {
      return { error: readErrorMessage(errorCode(linkError)) };
    }
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { error: 'not a regular file, skipped' };
    if (stats.size > MAX_SOURCE_BYTES) {
      return { error: tooLarge(stats.size) };
    }
    const data = readAll(fd, stats.size);
    return throughLink ? { data } : { data, stamp: stampOf(stats) };
  } catch (error) {
    return { error: readErrorMessage(errorCode(error)) };
  } finally {
    closeSync(fd);
  }
}

const OUTSIDE = 'symbolic link to outside the analyzed directory, not followed';

function resolveLink(root: string, full: string): { path: string } | { error: string; outside?: true } {
  let target: string;
  try {
    target = realpathSync.native(full);
  } catch (error) {
    return { error: errorCode(error) === 'ENOENT' ? 'broken symbolic link' : readErrorMessage(errorCode(error)) };
  }
  return isInside(realDirectory(root), target) ? { path: target } : { error: OUTSIDE, outside: true };
}

function readAll(fd: number, size: number): Buffer {
  const data = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const read = readSync(fd, data, filled, size - filled, filled);
    if (read === 0) break;
    filled += read;
  }
  return data.subarray(0, filled);
}

/** Text from bytes: UTF-8 (with or without BOM) or UTF-16 with a BOM; NUL bytes mean binary. */
export function decodeSource(data: Buffer): SourceText {
  if (data[0] === 0xff && data[1] === 0xfe) return textOrBinary(data.subarray(2).toString('utf16le'));
  if (data[0] === 0xfe && data[1] === 0xff) {
    const swapped = Buffer.from(data.subarray(2, 2 + ((data.length - 2) & ~1)));
    return textOrBinary(swapped.swap16().toString('utf16le'));
  }
  const body = data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? data.subarray(3) : data;
  if (body.subarray(0, BINARY_PROBE_BYTES).includes(0)) return { error: 'binary file, not source text' };
  const text = body.toString('utf8');
  return !text.includes('\uFFFD') || isUtf8(body) ? { text } : { text, warning: invalidUtf8Warning(body, text) };
}

function textOrBinary(text: string): SourceText {
  return text.slice(0, BINARY_PROBE_BYTES).includes('\0') ? { error: 'binary file, not source text' } : { text };
}

/** Where the first byte that is not UTF-8 is: decoding turned it into U+FFFD, re-encoding shows where. */
function invalidUtf8Warning(body: Buffer, text: string): SourceWarning {
  const reencoded = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < body.length && body[offset] === reencoded[offset]) offset++;
  // Lines end at "\n" only, as everywhere positions are reported.
  const lines = body.subarray(0, offset).toString('utf8').split('\n');
  const byte = (body[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  return {
    code: 'invalid-encoding',
    message: `not valid UTF-8 (byte 0x${byte}); bytes that are not UTF-8 are read as U+FFFD`,
    line: lines.length,
    column: lines.at(-1)!.length + 1,
  };
}

function readErrorMessage(code: string): string {
  return code === 'ENOENT' ? 'file vanished during the run' : `cannot read file (${code})`;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

/** Why a file over the size limit is skipped (for files on disk and staged content alike). */
export function tooLarge(bytes: number): string {
  return `too large to analyze (${megabytes(bytes)} MB; files over ${megabytes(MAX_SOURCE_BYTES)} MB are skipped)`;
}

function megabytes(bytes: number): string {
  const value = bytes / (1024 * 1024);
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

// Resolved once per directory and run: a symbolic link in the path of a file read through a
// `$ref` or a tsconfig `extends` must not lead outside the root.
const realDirectories = new Map<string, string>();
const directoriesInside = new Map<string, boolean>();

/** Forgets resolved directories (at the start of a run, so that a changed tree is seen as it is). */
export function forgetRealDirectories(): void {
  realDirectories.clear();
  directoriesInside.clear();
}

function isDirectoryInside(root: string, dir: string): boolean {
  const key = `${root}\0${dir}`;
  let inside = directoriesInside.get(key);
  if (inside === undefined) {
    inside = isInside(realDirectory(root), realDirectory(dir));
    directoriesInside.set(key, inside);
  }
  return inside;
}

function realDirectory(dir: string): string {
  let real = realDirectories.get(dir);
  if (real === undefined) {
    real = realpathSync.native(dir);
    realDirectories.set(dir, real);
  }
  return real;
}

export function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (relative.split(path.sep)[0] !== '..' && !path.isAbsolute(relative));
}
