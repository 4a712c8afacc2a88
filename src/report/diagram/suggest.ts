import { compareStrings } from '../../util/compare.js';

/** Up to `limit` names close to what was typed: containing it (any case), or a few edits away. */
export function suggestNames(query: string, names: Iterable<string>, limit = 3): string[] {
  const lower = query.toLowerCase();
  const scored: Array<{ name: string; score: number }> = [];
  for (const name of new Set(names)) {
    const candidate = name.toLowerCase();
    if (candidate.includes(lower) || lower.includes(candidate)) scored.push({ name, score: Math.abs(candidate.length - lower.length) / 100 });
    else {
      const distance = editDistance(lower, candidate);
      if (distance <= Math.max(2, Math.floor(lower.length / 3))) scored.push({ name, score: distance });
    }
  }
  return scored
    .sort((a, b) => a.score - b.score || compareStrings(a.name, b.name))
    .slice(0, limit)
    .map((entry) => entry.name);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
