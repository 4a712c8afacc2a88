import type { Result } from '../model/result.js';
import { dotGraph, htmlGraph, jsonGraph, mermaidGraph, svgGraph, type CollapseKind, type GraphOutput, type GraphView } from './diagram/index.js';

export interface GraphRenderOptions {
  color: boolean;
  view: GraphView;
  /** An event or a service: draw only its neighbourhood. */
  focus?: string;
  /** Hops around the focus (default 2). */
  depth?: number;
  collapse?: readonly CollapseKind[];
}

/** A format of `choreolint graph`: the text, and notes for stderr (e.g. collapsed to fit Mermaid). */
export type GraphRenderer = (result: Result, options: GraphRenderOptions) => GraphOutput | Promise<GraphOutput>;

const diagramOptions = (options: GraphRenderOptions) => ({
  view: options.view,
  ...(options.focus !== undefined ? { focus: options.focus } : {}),
  ...(options.depth !== undefined ? { depth: options.depth } : {}),
  ...(options.collapse !== undefined ? { collapse: options.collapse } : {}),
});

/** Formats of `choreolint graph` (docs/diagrams.md). `svg` and `html` load the WebAssembly Graphviz on first use. */
export const GRAPH_FORMATS: Record<string, GraphRenderer> = {
  mermaid: (result, options) => mermaidGraph(result, diagramOptions(options)),
  dot: (result, options) => dotGraph(result, diagramOptions(options)),
  svg: (result, options) => svgGraph(result, diagramOptions(options)),
  json: (result, options) => jsonGraph(result, diagramOptions(options)),
  html: (result, options) => htmlGraph(result, diagramOptions(options)),
};

export const GRAPH_VIEWS: readonly GraphView[] = ['events', 'services', 'flows'];
export const COLLAPSE_KINDS: readonly CollapseKind[] = ['folder', 'domain'];
export type { CollapseKind, GraphOutput, GraphView };
