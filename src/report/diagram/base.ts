import { compareStrings, uniqueSorted } from '../../util/compare.js';
import { key, type ResultIndex } from './lookup.js';
import type { GraphView } from './types.js';

export interface BaseNode {
  key: string;
  kind: 'service' | 'event' | 'handler';
  /** What the node's id is derived from. */
  name: string;
  label: string[];
  /** The service a service or handler node belongs to. */
  service?: string;
  /** The event id of an event node. */
  event?: string;
}

export interface BaseEdge {
  from: string;
  to: string;
  /** Services view: the event ids the edge carries. */
  events: string[];
  /** Flows view, handler → event: the conditions of the publishes (empty when one is unconditional). */
  conditions: string[];
}

/** One view of the topology as plain nodes and edges, keyed by topology node ids. */
export interface BaseGraph {
  view: GraphView;
  nodes: Map<string, BaseNode>;
  edges: Map<string, BaseEdge>;
}

export const edgeKey = (from: string, to: string) => `${from}\0${to}`;

/**
 * `events`: services → the events they publish → the services that consume them.
 * `services`: service → service, through the events one publishes and the other consumes.
 * `flows`: event → the handlers it triggers → the events they publish (with their conditions).
 */
export function baseGraph(index: ResultIndex, view: GraphView): BaseGraph {
  const graph: BaseGraph = { view, nodes: new Map(), edges: new Map() };
  const addEdge = (from: string, to: string): BaseEdge => {
    const at = edgeKey(from, to);
    let edge = graph.edges.get(at);
    if (!edge) {
      edge = { from, to, events: [], conditions: [] };
      graph.edges.set(at, edge);
    }
    return edge;
  };
  const addService = (name: string) => graph.nodes.set(key.service(name), { key: key.service(name), kind: 'service', name, label: [name], service: name });
  const addEvent = (id: string) => {
    const event = index.events.get(id);
    const name = event?.name ?? id;
    const label = event?.scope ? `${name} (in-process, ${event.scope})` : name;
    graph.nodes.set(key.event(id), { key: key.event(id), kind: 'event', name: id, label: [label], event: id });
  };

  const events = index.result.topology.events;
  if (view === 'events' || view === 'services') {
    for (const service of index.allServices()) addService(service);
    for (const event of events) {
      const producers = index.publishingServices(event.id);
      const consumers = index.consumingServices(event.id);
      if (view === 'events') {
        addEvent(event.id);
        for (const producer of producers) addEdge(key.service(producer), key.event(event.id));
        for (const consumer of consumers) addEdge(key.event(event.id), key.service(consumer));
      } else {
        for (const producer of producers) {
          for (const consumer of consumers) if (producer !== consumer) addEdge(key.service(producer), key.service(consumer)).events.push(event.id);
        }
      }
    }
  } else {
    for (const event of events) addEvent(event.id);
    const unconditional = new Set<string>();
    for (const handler of [...index.result.handlers].sort((a, b) => compareStrings(a.id, b.id))) {
      const consumed = index.consumed.get(handler.id) ?? [];
      const triggered = index.triggered.get(handler.id) ?? [];
      if (consumed.length === 0 && triggered.length === 0) continue;
      const name = handler.unresolved ? `${handler.name} (not found)` : handler.name;
      graph.nodes.set(key.handler(handler.id), { key: key.handler(handler.id), kind: 'handler', name: `${handler.service}_${handler.name}`, label: [handler.service, name], service: handler.service });
      for (const event of consumed) addEdge(key.event(event), key.handler(handler.id));
      for (const trigger of handler.triggers) {
        const target = index.triggerTargets.get(`${handler.id}\0${trigger.declaration}`);
        if (target === undefined || !graph.nodes.has(key.event(target))) continue;
        const edge = addEdge(key.handler(handler.id), key.event(target));
        const condition = index.conditionOf(handler.id, trigger.declaration);
        if (condition === undefined) unconditional.add(edgeKey(edge.from, edge.to));
        else edge.conditions.push(condition);
      }
    }
    for (const [at, edge] of graph.edges) edge.conditions = unconditional.has(at) ? [] : uniqueSorted(edge.conditions);
  }
  for (const edge of graph.edges.values()) edge.events = uniqueSorted(edge.events);
  return graph;
}
