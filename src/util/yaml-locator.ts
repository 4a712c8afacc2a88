import type { Document, LineCounter } from 'yaml';
import { yamlModule } from './lazy.js';

export type Position = { line: number; column: number };

/**
 * Where a value (or its key) sits in a parsed YAML or JSON document, by its path: the line of
 * the deepest node the path reaches, so a path into `$ref`'d content lands on the `$ref`.
 */
export type YamlLocator = (path: ReadonlyArray<string | number>, at?: 'key' | 'value') => Position | undefined;

export function createYamlLocator(document: Document, lineCounter: LineCounter): YamlLocator {
  const { isMap, isPair, isScalar } = yamlModule();
  return (path, at = 'value') => {
    let node: unknown = document.contents;
    let range: [number, number, number] | undefined = rangeOf(node);
    for (const [index, segment] of path.entries()) {
      if (!isMap(node) && !(node && typeof node === 'object' && 'items' in node)) break;
      const items = (node as { items: unknown[] }).items;
      let next: unknown;
      if (typeof segment === 'number') next = items[segment];
      else {
        const pair = items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment);
        if (isPair(pair)) {
          range = rangeOf(pair.key) ?? range;
          if (at === 'key' && index === path.length - 1) break;
          next = pair.value;
        }
      }
      if (next === undefined) break;
      node = next;
      range = rangeOf(node) ?? range;
    }
    if (!range) return undefined;
    const position = lineCounter.linePos(range[0]);
    return { line: position.line, column: position.col };
  };
}

function rangeOf(node: unknown): [number, number, number] | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: [number, number, number] }).range;
    return range ?? undefined;
  }
  return undefined;
}
