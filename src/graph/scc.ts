import { compareStrings } from '../util/compare.js';

/**
 * Strongly connected components (Tarjan), iterative so that a chain of 100,000 events cannot
 * overflow the stack (graphlib's `alg.tarjan` recurses). Nodes and components come out sorted.
 */
export function stronglyConnectedComponents(nodes: readonly string[], successors: (node: string) => readonly string[]): string[][] {
  const index = new Map<string, number>();
  const lowlink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  for (const root of [...nodes].sort(compareStrings)) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; next: number; successors: readonly string[] }> = [];
    const open = (node: string) => {
      index.set(node, counter);
      lowlink.set(node, counter);
      counter++;
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: 0, successors: [...successors(node)].sort(compareStrings) });
    };
    open(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      if (frame.next < frame.successors.length) {
        const successor = frame.successors[frame.next++]!;
        if (!index.has(successor)) open(successor);
        else if (onStack.has(successor)) lowlink.set(frame.node, Math.min(lowlink.get(frame.node)!, index.get(successor)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) lowlink.set(parent.node, Math.min(lowlink.get(parent.node)!, lowlink.get(frame.node)!));
      if (lowlink.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component.sort(compareStrings));
      }
    }
  }
  return components.sort((a, b) => compareStrings(a[0]!, b[0]!));
}
