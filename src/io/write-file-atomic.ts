import { closeSync, fstatSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

const REASONS: Record<string, string> = {
  ENOENT: 'no such directory',
  ENOTDIR: 'a parent is not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

/** A file that could not be written, named as the caller named it (never the temporary file). */
export class FileWriteError extends Error {
  readonly reason: string;

  constructor(
    readonly file: string,
    readonly code: string,
  ) {
    const reason = REASONS[code] ?? code;
    super(`cannot write ${file} (${reason})`);
    this.name = 'FileWriteError';
    this.reason = reason;
  }
}

/**
 * Writes a file so that readers see the old content or the new, never half of it: the text goes
 * to a temporary file beside the target, is flushed to disk (unless not `durable`: a cache, which
 * a crash may only cost its speed), then renamed over it. A process
 * killed on the way leaves the target as it was, and a temporary file with its pid and time in
 * the name, which no later run reuses and the next successful write of the same target removes.
 * Returns the inode of the file written (to tell it from one another process wrote since).
 */
export function writeFileAtomic(file: string, text: string, encoding: BufferEncoding = 'utf8', { durable = true }: { durable?: boolean } = {}): { inode: number } {
  const target = path.resolve(file);
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const descriptor = openSync(temporary, 'w');
    let inode: number;
    try {
      writeAll(descriptor, Buffer.from(text, encoding));
      if (durable) fsyncSync(descriptor);
      inode = fstatSync(descriptor).ino;
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, target);
    removeAbandonedTemporaries(target);
    return { inode };
  } catch (error) {
    rmSync(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw code ? new FileWriteError(file, code) : error;
  }
}

/** Temporaries of `target` whose writer is gone (killed mid-write); a live writer's are kept. */
function removeAbandonedTemporaries(target: string): void {
  const prefix = `.${path.basename(target)}.`;
  let names: string[];
  try {
    names = readdirSync(path.dirname(target)).filter((name) => name.startsWith(prefix) && name.endsWith('.tmp'));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^(\d+)\.\d+\.tmp$/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isInteger(pid) || isAlive(pid)) continue;
    rmSync(path.join(path.dirname(target), name), { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** write(2) may write less than it was given (a signal, a nearly full disk): the rest follows. */
function writeAll(descriptor: number, bytes: Buffer): void {
  for (let offset = 0; offset < bytes.length; ) {
    const written = writeSync(descriptor, bytes, offset, bytes.length - offset);
    if (written <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    offset += written;
  }
}
