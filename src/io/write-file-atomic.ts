import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a file so that readers see the old content or the new, never half of it: the text goes
 * to a temporary file beside the target, is flushed to disk, then renamed over it.
 */
export function writeFileAtomic(file: string, text: string, encoding: BufferEncoding = 'utf8'): void {
  const target = path.resolve(file);
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const descriptor = openSync(temporary, 'w');
    try {
      writeSync(descriptor, text, null, encoding);
      fsyncSync(descriptor);
    } finally {
      closeSync(descriptor);
    }
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
