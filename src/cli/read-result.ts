import { readFileSync } from 'node:fs';
import { UsageError } from '../model/errors.js';
import type { Result } from '../model/result.js';
import { resultDocumentProblem } from '../model/validate-result.js';

/** A result document given with `--with`, validated against the schema; a bad one stops the run (exit 2). */
export function readResultDocument(file: string): Result {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: ${code === 'ENOENT' ? 'no such file' : code ? `cannot read (${code})` : `invalid JSON (${(error as Error).message})`}`);
  }
  const problem = resultDocumentProblem(value);
  if (problem) throw new UsageError(`${file}: ${problem}`);
  return value as Result;
}
