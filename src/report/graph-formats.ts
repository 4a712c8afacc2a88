import { renderJson } from './json.js';
import { renderMermaid, type GraphView } from './mermaid.js';
import type { Reporter } from './types.js';

export interface GraphRenderOptions {
  color: boolean;
  view: GraphView;
}

/** Formats of `choreolint graph`. */
export const GRAPH_FORMATS: Record<string, Reporter<GraphRenderOptions>> = {
  mermaid: (result, options) => renderMermaid(result, options.view),
  json: (result) => renderJson(result),
};

export const GRAPH_VIEWS: readonly GraphView[] = ['events', 'services', 'flows'];
export type { GraphView };
