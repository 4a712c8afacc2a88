import type { Result } from '../../model/result.js';
import { buildDiagram } from './build.js';
import { labelText } from './mermaid-flowchart.js';
import { CLASS_STYLES, DEFAULT_STROKE, KIND_FILL } from './styles.js';
import type { Diagram, DiagramEdge, DiagramNode, DiagramOptions, GraphOutput, NodeKind } from './types.js';

const FONT = 'Helvetica,Arial,sans-serif';

const SHAPES: Record<NodeKind, { shape: string; style: string[]; peripheries?: number }> = {
  service: { shape: 'box', style: ['filled'] },
  folder: { shape: 'folder', style: ['filled'] },
  handler: { shape: 'component', style: ['filled'] },
  event: { shape: 'box', style: ['rounded', 'filled'] },
  domain: { shape: 'box', style: ['rounded', 'filled'], peripheries: 2 },
};

export function dotGraph(result: Result, options: DiagramOptions): GraphOutput {
  return { text: diagramToDot(buildDiagram(result, options)), notes: [] };
}

/**
 * The diagram in Graphviz DOT: every node and edge carries its id and its classes (kind and
 * findings), which the SVG keeps (`<g id=… class="node event cycle">`) for the HTML page to use.
 */
export function diagramToDot(diagram: Diagram, title = `${diagram.repository}: ${diagram.view} view`): string {
  const lines = ['digraph choreolint {'];
  for (const comment of diagram.comments) lines.push(`  // ${comment.replace(/\n/g, ' ')}`);
  lines.push(
    `  graph [rankdir=LR, fontname="${FONT}", fontsize=14, labelloc=t, label=${quote(title)}, nodesep=0.3, ranksep=0.6, bgcolor="white"];`,
    `  node [fontname="${FONT}", fontsize=11, color="${DEFAULT_STROKE}", margin="0.15,0.06"];`,
    `  edge [fontname="${FONT}", fontsize=9, color="${DEFAULT_STROKE}", fontcolor="${DEFAULT_STROKE}", arrowsize=0.7];`,
  );
  const nodesById = new Map(diagram.nodes.map((node) => [node.id, node]));
  for (const node of diagram.nodes) lines.push(`  ${quote(node.id)} [${nodeAttributes(node)}];`);
  for (const edge of diagram.edges) lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)} [${edgeAttributes(edge, nodesById)}];`);
  if (diagram.legend.length > 0) {
    lines.push('  subgraph cluster_legend {');
    lines.push(`    id="legend"; class="legend"; label="Legend"; fontsize=11; style="rounded,dashed"; color="#9e9e9e";`);
    for (const entry of diagram.legend) {
      const node: DiagramNode = { id: `legend_${entry.class.replace(/-/g, '_')}`, key: '', kind: 'event', label: [entry.text], classes: [entry.class] };
      lines.push(`    ${quote(node.id)} [${nodeAttributes(node, 'legend-entry')}];`);
    }
    lines.push('  }');
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function nodeAttributes(node: DiagramNode, kindClass: string = node.kind): string {
  const base = SHAPES[node.kind];
  const style = [...base.style];
  const attributes: Array<[string, string | number]> = [
    ['id', node.id],
    ['class', [kindClass, ...node.classes].join(' ')],
    ['label', node.label.join('\n')],
    ['shape', base.shape],
  ];
  let fill: string = KIND_FILL[node.kind];
  const top = node.classes.find((name) => name !== 'focus');
  if (top) {
    const look = CLASS_STYLES[top];
    if (look.stroke) attributes.push(['color', look.stroke]);
    if (look.strokeWidth) attributes.push(['penwidth', look.strokeWidth]);
    if (look.text) attributes.push(['fontcolor', look.text]);
    if (look.fill) fill = look.fill;
    if (look.dashed) style.push('dashed');
  }
  if (node.classes.includes('focus')) {
    style.push('bold');
    if (!top) attributes.push(['penwidth', 2]);
  }
  if (base.peripheries) attributes.push(['peripheries', base.peripheries]);
  attributes.push(['style', style.join(',')], ['fillcolor', fill]);
  return attributes.map(([name, value]) => `${name}=${typeof value === 'number' ? value : quote(value)}`).join(', ');
}

function edgeAttributes(edge: DiagramEdge, nodes: Map<string, DiagramNode>): string {
  const attributes: Array<[string, string | number]> = [['id', edge.id]];
  if (edge.classes.length > 0) attributes.push(['class', edge.classes.join(' ')]);
  const label = labelText(edge.label);
  if (label !== '') attributes.push(['label', label]);
  const top = edge.classes[0];
  const dimmed = [edge.from, edge.to].some((id) => {
    const classes = nodes.get(id)?.classes ?? [];
    return classes.includes('orphan') || classes.includes('dangling');
  });
  if (top) {
    const look = CLASS_STYLES[top];
    if (look.stroke) attributes.push(['color', look.stroke], ['fontcolor', look.stroke]);
    if (look.strokeWidth) attributes.push(['penwidth', look.strokeWidth]);
    if (look.dashed) attributes.push(['style', 'dashed']);
  } else if (dimmed) {
    attributes.push(['color', CLASS_STYLES.orphan.stroke!], ['style', 'dashed']);
  }
  return attributes.map(([name, value]) => `${name}=${typeof value === 'number' ? value : quote(value)}`).join(', ');
}

/** A DOT double-quoted string; `\n` separates label lines. */
export function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}
