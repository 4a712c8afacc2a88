import { compareStrings, uniqueSorted } from '../../util/compare.js';
import { legendOf } from '../diagram/build.js';
import { StableIds } from '../diagram/ids.js';
import { key } from '../diagram/lookup.js';
import { diagramToMermaid, MERMAID_LIMITS } from '../diagram/mermaid-flowchart.js';
import type { Diagram, DiagramEdge, DiagramNode, ElementClass, GraphOutput } from '../diagram/types.js';
import type { Flow, FlowEvent } from './build.js';

/**
 * The flow as a diagram: event → handler → event, the start, failure and compensation events
 * as classes, edges that close a cycle red. Each event and handler is drawn once.
 */
export function flowDiagram(flow: Flow): Diagram {
  const events = new Map<string, { node: FlowEvent; classes: Set<ElementClass> }>();
  const handlers = new Map<string, { service: string; name: string }>();
  const edges = new Map<string, { from: string; to: string; conditions: Set<string>; unconditional: boolean; classes: Set<ElementClass> }>();
  const edge = (from: string, to: string, condition?: string, cycle = false) => {
    const at = `${from}\0${to}`;
    let entry = edges.get(at);
    if (!entry) {
      entry = { from, to, conditions: new Set(), unconditional: false, classes: new Set() };
      edges.set(at, entry);
    }
    if (condition) entry.conditions.add(condition);
    else entry.unconditional = true;
    if (cycle) entry.classes.add('cycle');
  };
  const walk = (event: FlowEvent) => {
    const known = events.get(event.event);
    const classes = known?.classes ?? new Set<ElementClass>();
    if (event.kind !== 'normal') classes.add(event.kind);
    if (!known) events.set(event.event, { node: event, classes });
    for (const handler of event.handlers) {
      handlers.set(handler.id, { service: handler.service, name: handler.unresolved ? `${handler.name} (not found)` : handler.name });
      edge(key.event(event.event), key.handler(handler.id));
      for (const next of handler.publishes) {
        edge(key.handler(handler.id), key.event(next.event), next.condition, next.revisit === 'cycle');
        walk(next);
      }
    }
  };
  walk(flow.start);
  events.get(flow.start.event)!.classes.add('start');

  const ids = new StableIds();
  for (const id of [...handlers.keys()].sort(compareStrings)) ids.get(key.handler(id), 'h', `${handlers.get(id)!.service}_${handlers.get(id)!.name}`);
  for (const id of [...events.keys()].sort(compareStrings)) ids.get(key.event(id), 'e', id);
  const idOf = (at: string) => ids.get(at, '', at);

  const order: ElementClass[] = ['cycle', 'start', 'failure', 'compensation'];
  const sorted = (classes: Set<ElementClass>) => order.filter((name) => classes.has(name));
  const nodes: DiagramNode[] = [
    ...[...handlers].map(([id, handler]) => ({ id: idOf(key.handler(id)), key: key.handler(id), kind: 'handler' as const, label: [handler.service, handler.name], classes: [] })),
    ...[...events.values()].map(({ node, classes }) => ({ id: idOf(key.event(node.event)), key: key.event(node.event), kind: 'event' as const, label: [node.name], classes: sorted(classes) })),
  ].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'handler' ? -1 : 1) || compareStrings(a.id, b.id));
  const diagramEdges: DiagramEdge[] = [...edges.values()]
    .map((entry) => {
      const from = idOf(entry.from);
      const to = idOf(entry.to);
      return { id: `${from}--${to}`, from, to, label: entry.unconditional ? [] : uniqueSorted(entry.conditions), classes: sorted(entry.classes) };
    })
    .sort((a, b) => compareStrings(a.from, b.from) || compareStrings(a.to, b.to));
  return {
    repository: flow.repository,
    view: 'flows',
    nodes,
    edges: diagramEdges,
    findings: [],
    legend: legendOf(nodes, diagramEdges),
    comments: [`flow from ${flow.start.name}`],
  };
}

/** The flow as a Mermaid flowchart; over Mermaid's default limits, a comment and a note say so. */
export function renderFlowMermaid(flow: Flow): GraphOutput {
  const diagram = flowDiagram(flow);
  const text = diagramToMermaid(diagram);
  if (text.length <= MERMAID_LIMITS.maxTextSize && diagram.edges.length <= MERMAID_LIMITS.maxEdges) return { text, notes: [] };
  const note = `this flow has ${diagram.edges.length} edges and ${text.length} characters, over Mermaid's default limits (maxEdges ${MERMAID_LIMITS.maxEdges}, maxTextSize ${MERMAID_LIMITS.maxTextSize}): Mermaid will not render it; use --format text, or choreolint graph --view flows --focus <event> --format svg`;
  return { text: diagramToMermaid(diagram, [note]), notes: [note] };
}
