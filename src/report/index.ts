import type { Result } from '../model/result.js';
import { renderJson } from './json.js';
import { renderMermaid, type GraphView } from './mermaid.js';
import { renderStylish } from './stylish.js';

export interface RenderOptions {
  color: boolean;
  view: GraphView;
}

export type Reporter = (result: Result, options: RenderOptions) => string;

/** Formats of `choreolint check`. */
export const CHECK_FORMATS: Record<string, Reporter> = {
  stylish: (result, options) => renderStylish(result, options),
  json: (result) => renderJson(result),
};

/** Formats of `choreolint graph`. */
export const GRAPH_FORMATS: Record<string, Reporter> = {
  mermaid: (result, options) => renderMermaid(result, options.view),
  json: (result) => renderJson(result),
};

export const GRAPH_VIEWS: readonly GraphView[] = ['events', 'services', 'flows'];
export type { GraphView };
