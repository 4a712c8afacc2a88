import type { Result } from '../model/result.js';

/** The result document itself, stable and diff-friendly (two-space indent, trailing newline). */
export function renderJson(result: Result): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
