import type { Result } from '../../model/result.js';
import { buildDiagram } from './build.js';
import type { DiagramOptions, GraphOutput } from './types.js';

/** The diagram itself (nodes, edges, what each finding touches, legend), for other tools to draw. */
export function jsonGraph(result: Result, options: DiagramOptions): GraphOutput {
  return { text: `${JSON.stringify(buildDiagram(result, options), null, 2)}\n`, notes: [] };
}
