import type { ConstValue } from './summary.js';

/** `value.a.b` for an object value; undefined when the path leaves it. */
export function lookupPath(value: ConstValue | undefined, path: readonly string[]): ConstValue | undefined {
  let current = value;
  for (const key of path) {
    if (current?.kind !== 'object') return undefined;
    current = current.entries[key];
  }
  return current;
}
