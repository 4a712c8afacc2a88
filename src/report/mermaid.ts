import type { Result } from '../model/result.js';
import { mermaidGraph } from './diagram/mermaid-flowchart.js';
import type { DiagramOptions, GraphView } from './diagram/types.js';

export type { GraphView };

/**
 * The topology as a Mermaid flowchart. `events`: services, the events they publish and the
 * services that consume them. `services`: service → service, labelled with the events.
 * `flows`: event → the handlers it triggers → the events they publish, labelled with conditions.
 * Findings are drawn (cycles red, chains thick, orphan events dimmed) with a legend; see
 * src/report/diagram/ for focus, collapse and Mermaid's size limits.
 */
export function renderMermaid(result: Result, view: GraphView, options: Omit<DiagramOptions, 'view'> = {}): string {
  return mermaidGraph(result, { ...options, view }).text;
}
