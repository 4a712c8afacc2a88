import type { Result } from '../../model/result.js';
import { plural } from './build.js';
import { fitDiagram, type RenderLimits } from './fit.js';
import { CLASS_STYLES, mermaidClassName, type ClassStyle } from './styles.js';
import { CLASS_ORDER, type Diagram, type DiagramEdge, type DiagramNode, type DiagramOptions, type GraphOutput } from './types.js';

/** Mermaid's defaults: a longer text or more edges and Mermaid refuses to render the diagram. */
export const MERMAID_LIMITS = { maxTextSize: 50_000, maxEdges: 500 } as const;

/** How many items an edge label lists before `+N more`. */
export const MAX_LABEL_ITEMS = 5;

/**
 * A view as a Mermaid flowchart that Mermaid will render: when the whole view is over Mermaid's
 * default limits, services are grouped by folder and events by domain; when that is still too
 * much, only the first edges are kept. Either way a comment line in the output and a note say so.
 */
export function mermaidGraph(result: Result, options: DiagramOptions): GraphOutput {
  const { text, notes } = fitDiagram(result, options, MERMAID);
  return { text, notes };
}

const MERMAID: RenderLimits = {
  render: (diagram) => diagramToMermaid(diagram),
  over: (diagram, text) =>
    text.length > MERMAID_LIMITS.maxTextSize || diagram.edges.length > MERMAID_LIMITS.maxEdges
      ? `${plural(diagram.edges.length, 'edge')} and ${text.length} characters are over Mermaid's default limits (maxEdges ${MERMAID_LIMITS.maxEdges}, maxTextSize ${MERMAID_LIMITS.maxTextSize})`
      : undefined,
};

/** The diagram as a Mermaid flowchart: stable ids, sorted lines, findings as classes and link styles, a legend. */
export function diagramToMermaid(diagram: Diagram, extraComments: readonly string[] = []): string {
  const lines = ['flowchart LR'];
  for (const comment of [...diagram.comments, ...extraComments]) lines.push(`  %% ${comment.replace(/\n/g, ' ')}`);
  const nodesById = new Map(diagram.nodes.map((node) => [node.id, node]));
  for (const node of diagram.nodes) lines.push(`  ${node.id}${shape(node)}`);
  for (const edge of diagram.edges) lines.push(`  ${edge.from} ${arrow(edge, nodesById)}${edgeLabel(edge)} ${edge.to}`);

  if (diagram.legend.length > 0) {
    lines.push('  subgraph legend["Legend"]', '    direction TB');
    for (const entry of diagram.legend) lines.push(`    legend_${mermaidClassName(entry.class)}["${escapeMermaid(entry.text)}"]`);
    lines.push('  end');
  }

  const present = CLASS_ORDER.filter((name) => diagram.legend.some((entry) => entry.class === name));
  // Most important last, so that its style wins where classes overlap.
  for (const name of [...present].reverse()) lines.push(`  classDef ${mermaidClassName(name)} ${classDef(CLASS_STYLES[name])}`);
  for (const name of [...present].reverse()) {
    const ids = [...diagram.nodes.filter((node) => node.classes.includes(name)).map((node) => node.id), `legend_${mermaidClassName(name)}`];
    lines.push(`  class ${ids.join(',')} ${mermaidClassName(name)}`);
  }
  for (const name of present) {
    const indexes = diagram.edges.flatMap((edge, index) => (edge.classes[0] === name ? [index] : []));
    if (indexes.length > 0) lines.push(`  linkStyle ${indexes.join(',')} ${linkStyle(CLASS_STYLES[name])}`);
  }
  return `${lines.join('\n')}\n`;
}

function shape(node: DiagramNode): string {
  const label = node.label.map(escapeMermaid).join('<br/>');
  switch (node.kind) {
    case 'service':
      return `["${label}"]`;
    case 'folder':
      return `[["${label}"]]`;
    case 'handler':
      return `[/"${label}"/]`;
    case 'event':
      return `(["${label}"])`;
    case 'domain':
      return `{{"${label}"}}`;
  }
}

function arrow(edge: DiagramEdge, nodes: Map<string, DiagramNode>): string {
  if (edge.classes.includes('chain') && !edge.classes.includes('cycle')) return '==>';
  const dimmed = (id: string) => {
    const classes = nodes.get(id)?.classes ?? [];
    return classes.includes('orphan') || classes.includes('dangling');
  };
  return dimmed(edge.from) || dimmed(edge.to) ? '-.->' : '-->';
}

function edgeLabel(edge: DiagramEdge): string {
  const text = labelText(edge.label);
  return text === '' ? '' : `|"${escapeMermaid(text)}"|`;
}

/** Label items joined, at most MAX_LABEL_ITEMS of them and `+N more`. */
export function labelText(items: readonly string[]): string {
  if (items.length <= MAX_LABEL_ITEMS) return items.join(', ');
  return `${items.slice(0, MAX_LABEL_ITEMS).join(', ')}, +${items.length - MAX_LABEL_ITEMS} more`;
}

function classDef(style: ClassStyle): string {
  const parts: string[] = [];
  if (style.fill) parts.push(`fill:${style.fill}`);
  if (style.stroke) parts.push(`stroke:${style.stroke}`);
  if (style.strokeWidth) parts.push(`stroke-width:${style.strokeWidth}px`);
  if (style.dashed) parts.push('stroke-dasharray:5 3');
  if (style.text) parts.push(`color:${style.text}`);
  if (style.bold) parts.push('font-weight:bold');
  return parts.join(',');
}

function linkStyle(style: ClassStyle): string {
  const parts: string[] = [];
  if (style.stroke) parts.push(`stroke:${style.stroke}`);
  if (style.strokeWidth) parts.push(`stroke-width:${style.strokeWidth}px`);
  if (style.dashed) parts.push('stroke-dasharray:5 3');
  return parts.join(',');
}

const ENTITIES: Record<string, string> = { '#': '#35;', '"': '#quot;', '<': '#lt;', '>': '#gt;', ';': '#59;' };

/** Text inside a quoted Mermaid label or message: entity codes for what Mermaid would parse. */
export function escapeMermaid(text: string): string {
  return text.replace(/[#"<>;]/g, (character) => ENTITIES[character]!);
}
