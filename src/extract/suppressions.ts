import type { SuppressionComment } from '../model/summary.js';
import { lineStarts, positionIn } from './syntax.js';

const DIRECTIVE = 'choreolint-disable-next-line';
const COMMENT = /(?:\/\/|\/\*+)\s*choreolint-disable-next-line\b([^\n]*?)(?:\*\/|$)/gm;

/**
 * The suppression comments of a file, found in its text (`//` and block comments). The rules are
 * separated by commas or spaces; the reason follows ` -- `.
 */
export function readSuppressions(text: string): SuppressionComment[] {
  if (!text.includes(DIRECTIVE)) return [];
  const comments: SuppressionComment[] = [];
  const starts = lineStarts(text);
  for (const match of text.matchAll(COMMENT)) {
    const [rulesText = '', ...reasonParts] = (match[1] ?? '').split(/\s--\s?|\s--$/);
    const reason = reasonParts.join(' -- ').trim();
    comments.push({
      ...positionIn(starts, match.index ?? 0),
      rules: rulesText.split(/[\s,]+/).filter(Boolean),
      ...(reason ? { reason } : {}),
    });
  }
  return comments;
}
