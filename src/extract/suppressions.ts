import type { SuppressionComment } from '../model/summary.js';

const DIRECTIVE = 'choreolint-disable-next-line';
const COMMENT = /(?:\/\/|\/\*+)\s*choreolint-disable-next-line\b([^\n]*?)(?:\*\/|$)/gm;

/**
 * The suppression comments of a file, found in its text (`//` and block comments). The rules are
 * separated by commas or spaces; the reason follows ` -- `.
 */
export function readSuppressions(text: string): SuppressionComment[] {
  if (!text.includes(DIRECTIVE)) return [];
  const comments: SuppressionComment[] = [];
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lineStarts.push(index + 1);
  for (const match of text.matchAll(COMMENT)) {
    const offset = match.index ?? 0;
    const line = upperBound(lineStarts, offset);
    const [rulesText = '', ...reasonParts] = (match[1] ?? '').split(/\s--\s?|\s--$/);
    const reason = reasonParts.join(' -- ').trim();
    comments.push({
      line,
      column: offset - lineStarts[line - 1]! + 1,
      rules: rulesText.split(/[\s,]+/).filter(Boolean),
      ...(reason ? { reason } : {}),
    });
  }
  return comments;
}

/** The 1-based line holding `offset`, by binary search over line starts. */
function upperBound(lineStarts: number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (lineStarts[middle]! <= offset) low = middle + 1;
    else high = middle;
  }
  return low;
}
