import { describe, expect, it } from 'vitest';
import { stronglyConnectedComponents } from '../src/graph/scc.js';

describe('stronglyConnectedComponents', () => {
  it('finds components, sorted, including single nodes', () => {
    const edges: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a', 'd'], d: [], e: ['e'] };
    expect(stronglyConnectedComponents(Object.keys(edges), (n) => edges[n] ?? [])).toEqual([['a', 'b', 'c'], ['d'], ['e']]);
  });

  it('handles a chain of 200,000 nodes closing into one cycle without overflowing the stack', () => {
    const size = 200_000;
    const nodes = Array.from({ length: size }, (_, i) => `n${i}`);
    const components = stronglyConnectedComponents(nodes, (n) => [`n${(Number(n.slice(1)) + 1) % size}`]);
    expect(components).toHaveLength(1);
    expect(components[0]).toHaveLength(size);
  });
});
