import type { Result } from '../../model/result.js';
import { plural } from './build.js';
import { diagramToDot } from './dot.js';
import { fitDiagram, type RenderLimits } from './fit.js';
import type { Diagram, DiagramOptions, GraphOutput } from './types.js';

interface Layout {
  dot(source: string, format?: 'svg'): string;
}

let graphviz: Promise<Layout> | undefined;

/**
 * Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz): no system binary, nothing spawned.
 * Loaded on first use only, so the other formats never pay for it.
 */
async function loadGraphviz(): Promise<Layout> {
  graphviz ??= import('@hpcc-js/wasm-graphviz').then(({ Graphviz }) => Graphviz.load());
  return graphviz;
}

/** DOT laid out by Graphviz's `dot` into an SVG document. */
export async function dotToSvg(dot: string): Promise<string> {
  const layout = await loadGraphviz();
  return layout.dot(dot, 'svg');
}

/**
 * Past about a thousand nodes or two thousand edges, Graphviz's `dot` layout goes from a second to
 * minutes, and past that it can exhaust the WebAssembly stack: SVG and HTML stay below.
 */
export const GRAPHVIZ_LIMITS = { maxNodes: 1_000, maxEdges: 2_000 } as const;

const GRAPHVIZ: RenderLimits = {
  render: (diagram) => diagramToDot(diagram),
  over: (diagram) =>
    diagram.nodes.length > GRAPHVIZ_LIMITS.maxNodes || diagram.edges.length > GRAPHVIZ_LIMITS.maxEdges
      ? `${plural(diagram.nodes.length, 'node')} and ${plural(diagram.edges.length, 'edge')} are over what the in-process Graphviz lays out in reasonable time (${GRAPHVIZ_LIMITS.maxNodes} nodes, ${GRAPHVIZ_LIMITS.maxEdges} edges)`
      : undefined,
};

/** The view laid out within GRAPHVIZ_LIMITS: its diagram, the DOT, and the notes when it had to shrink. */
export function fitForGraphviz(result: Result, options: DiagramOptions): { diagram: Diagram; text: string; notes: string[] } {
  return fitDiagram(result, options, GRAPHVIZ);
}

export async function svgGraph(result: Result, options: DiagramOptions): Promise<GraphOutput> {
  const { text: dot, notes } = fitForGraphviz(result, options);
  const svg = await dotToSvg(dot);
  // DOT comments do not reach the SVG: the notes go in as XML comments before the <svg> element
  // (where `--` may not appear: a dash before a dash becomes a non-breaking hyphen).
  const noted = notes.length === 0 ? svg : svg.replace(/<svg\b/, `${notes.map((note) => `<!-- ${note.replace(/-(?=-)/g, '\u2011')} -->\n`).join('')}<svg`);
  return { text: noted, notes };
}

/**
 * The SVG for inlining into an HTML page: without the XML prolog, the DOCTYPE, the comments and
 * the namespace declarations (an HTML parser puts `<svg>` in the SVG namespace by itself), so the
 * page holds no URL it did not get from the user.
 */
export function inlineSvg(svg: string): string {
  return svg
    .replace(/<\?xml[\s\S]*?\?>/g, '')
    .replace(/<!DOCTYPE[\s\S]*?>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/\s+xmlns(:\w+)?="[^"]*"/g, '')
    .trim();
}
