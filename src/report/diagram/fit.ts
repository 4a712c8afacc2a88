import type { Result } from '../../model/result.js';
import { buildDiagram, legendOf, plural } from './build.js';
import type { CollapseKind, Diagram, DiagramOptions } from './types.js';

/** What a renderer can draw: its text for a diagram, and what is over its limits (undefined when nothing). */
export interface RenderLimits {
  render(diagram: Diagram): string;
  over(diagram: Diagram, text: string): string | undefined;
}

export const SIZE_ADVICE = 'use --focus <event|service> for a part of it, or --format dot for the whole graph';

/**
 * The view, drawn within a renderer's limits: as it is when it fits; else with services grouped
 * by folder and events by domain; else with only as many of its edges (in order) as fit. The
 * note saying so is one of the diagram's comments (a comment line in the output) and is returned
 * for the CLI to print on stderr.
 */
export function fitDiagram(result: Result, options: DiagramOptions, limits: RenderLimits): { diagram: Diagram; text: string; notes: string[] } {
  let diagram = buildDiagram(result, options);
  let text = limits.render(diagram);
  const over = limits.over(diagram, text);
  if (over === undefined) return { diagram, text, notes: [] };

  const all: CollapseKind[] = ['folder', 'domain'];
  if (all.some((kind) => !(options.collapse ?? []).includes(kind))) {
    diagram = buildDiagram(result, { ...options, collapse: all });
    const note = `${over}: collapsed by folder and domain; ${SIZE_ADVICE}`;
    const noted = withComment(diagram, note);
    text = limits.render(noted);
    if (limits.over(noted, text) === undefined) return { diagram: noted, text, notes: [note] };
  }

  const total = diagram.edges.length;
  const noteFor = (count: number) => `${over}: collapsed by folder and domain and still over, so only the first ${count} of ${plural(total, 'edge')} are drawn; ${SIZE_ADVICE}`;
  const candidate = (count: number) => withComment(firstEdges(diagram, count), noteFor(count));
  const fits = (count: number) => {
    const part = candidate(count);
    return limits.over(part, limits.render(part)) === undefined;
  };
  let low = 0;
  let high = total;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  const part = candidate(low);
  return { diagram: part, text: limits.render(part), notes: [noteFor(low)] };
}

function withComment(diagram: Diagram, comment: string): Diagram {
  return { ...diagram, comments: [...diagram.comments, comment] };
}

/** The diagram with its first `count` edges and the nodes they touch. */
function firstEdges(diagram: Diagram, count: number): Diagram {
  const edges = diagram.edges.slice(0, count);
  const touched = new Set(edges.flatMap((edge) => [edge.from, edge.to]));
  const nodes = diagram.nodes.filter((node) => touched.has(node.id));
  const edgeIds = new Set(edges.map((edge) => edge.id));
  return {
    ...diagram,
    nodes,
    edges,
    legend: legendOf(nodes, edges),
    findings: diagram.findings.map((finding) => ({ ...finding, nodes: finding.nodes.filter((id) => touched.has(id)), edges: finding.edges.filter((id) => edgeIds.has(id)) })),
  };
}
