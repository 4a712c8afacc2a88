import { readFileSync } from 'node:fs';
import path from 'node:path';

export type SourceText = { text: string } | { error: string };

const BINARY_PROBE_BYTES = 8000;

/** A source file's text, or why it cannot be analyzed (unreadable, vanished, binary). */
export function readSourceText(root: string, file: string): SourceText {
  let text: string;
  try {
    text = readFileSync(path.join(root, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { error: code === 'ENOENT' ? 'file vanished during the run' : `cannot read file (${code})` };
  }
  if (text.slice(0, BINARY_PROBE_BYTES).includes('\0')) return { error: 'binary file, not source text' };
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}
