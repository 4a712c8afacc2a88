import type { Finding } from '../../model/result.js';
import { uniqueSorted } from '../../util/compare.js';
import { edgeKey, type BaseGraph } from './base.js';
import { key, type ResultIndex } from './lookup.js';
import type { MarkClass } from './types.js';

/** What a finding touches, in topology terms, whatever the view. */
interface FindingPath {
  events: string[];
  /** Event → event through a handler (a cycle's or a chain's hops). */
  hops: Array<{ from: string; handler: string; to: string }>;
  /** Whether the hops close on themselves (a cycle). */
  closed: boolean;
  handlers: string[];
  services: string[];
  serviceEdges: Array<{ from: string; to: string; events: string[] }>;
}

/** A finding mapped onto a view's base graph: the node keys and edge keys it touches. */
export interface BaseMark {
  finding: Finding;
  index: number;
  mark?: MarkClass;
  nodes: string[];
  edges: string[];
}

const MARK_OF: Record<string, MarkClass> = {
  'event-cycle': 'cycle',
  'service-cycle': 'service-cycle',
  'linear-chain': 'chain',
  'orphan-event': 'orphan',
  'dangling-subscription': 'dangling',
};

export function findingMarks(index: ResultIndex, graph: BaseGraph): BaseMark[] {
  return index.result.findings.map((finding, position) => {
    const path = pathOf(index, finding);
    const { nodes, edges } = inView(index, graph, path);
    const mark = MARK_OF[finding.ruleId];
    return { finding, index: position, ...(mark ? { mark } : {}), nodes, edges };
  });
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : typeof value === 'string' ? [value] : [];
}

function pathOf(index: ResultIndex, finding: Finding): FindingPath {
  const data = finding.data ?? {};
  const path: FindingPath = { events: [], hops: [], closed: false, handlers: [], services: [], serviceEdges: [] };
  const events = (value: unknown) => strings(value).flatMap((name) => index.eventsNamed(name));
  /** Hops between consecutive events, through the given handlers or any flow edge between them. */
  const hopsThrough = (ids: string[], handlers: string[], closed: boolean) => {
    const count = closed ? ids.length : ids.length - 1;
    for (let i = 0; i < count; i++) {
      const from = ids[i]!;
      const to = ids[(i + 1) % ids.length]!;
      const handler = handlers[i] ?? index.flowsFrom.get(from)?.find((step) => step.to === to)?.handler;
      if (handler) path.hops.push({ from, handler, to });
    }
  };
  switch (finding.ruleId) {
    case 'event-cycle': {
      path.closed = true;
      path.events = events(data.cycle ?? data.members);
      const hops = Array.isArray(data.hops) ? (data.hops as Array<Record<string, unknown>>) : [];
      if (hops.length > 0) {
        for (const hop of hops) {
          if (typeof hop.event === 'string' && typeof hop.handler === 'string' && typeof hop.next === 'string') path.hops.push({ from: hop.event, handler: hop.handler, to: hop.next });
        }
      } else {
        hopsThrough(path.events, [], true);
      }
      break;
    }
    case 'linear-chain':
      path.events = events(data.events);
      hopsThrough(path.events, strings(data.handlers), false);
      break;
    case 'service-cycle':
      // The loop's service edges say it all; every handler of those services would say too much.
      path.closed = true;
      if (Array.isArray(data.edges)) {
        for (const edge of data.edges as Array<Record<string, unknown>>) {
          if (typeof edge.from === 'string' && typeof edge.to === 'string') path.serviceEdges.push({ from: edge.from, to: edge.to, events: events(edge.events) });
        }
      }
      break;
    default:
      path.events = [...events(data.event), ...events(data.failures), ...events(data.compensation)];
      path.handlers = strings(data.handler);
      path.services = strings(data.service);
      if (finding.ruleId === 'fan-out') path.handlers.push(...strings(data.consumers));
  }
  for (const hop of path.hops) path.handlers.push(hop.handler);
  return path;
}

/** The keys of what a finding's path touches in one view; only those the view has. */
function inView(index: ResultIndex, graph: BaseGraph, path: FindingPath): { nodes: string[]; edges: string[] } {
  const nodes: string[] = [];
  const edges: string[] = [];
  const node = (at: string) => {
    if (graph.nodes.has(at)) nodes.push(at);
  };
  const edge = (from: string, to: string) => {
    if (!graph.edges.has(edgeKey(from, to))) return;
    edges.push(edgeKey(from, to));
    node(from);
    node(to);
  };
  const serviceOf = (handler: string) => index.handlerService(handler);
  const handlersOfService = (service: string) => index.result.handlers.filter((handler) => handler.service === service).map((handler) => handler.id);

  if (graph.view === 'flows') {
    for (const event of path.events) node(key.event(event));
    for (const hop of path.hops) {
      edge(key.event(hop.from), key.handler(hop.handler));
      edge(key.handler(hop.handler), key.event(hop.to));
    }
    for (const handler of path.handlers) node(key.handler(handler));
    for (const service of path.services) for (const handler of handlersOfService(service)) node(key.handler(handler));
    for (const serviceEdge of path.serviceEdges) {
      for (const event of serviceEdge.events) {
        for (const handler of handlersOfService(serviceEdge.from)) edge(key.handler(handler), key.event(event));
        for (const handler of index.consumers.get(event) ?? []) if (serviceOf(handler) === serviceEdge.to) edge(key.event(event), key.handler(handler));
      }
    }
  } else if (graph.view === 'events') {
    for (const event of path.events) node(key.event(event));
    for (const hop of path.hops) {
      const service = serviceOf(hop.handler);
      if (!service) continue;
      edge(key.event(hop.from), key.service(service));
      edge(key.service(service), key.event(hop.to));
    }
    for (const handler of path.handlers) {
      const service = serviceOf(handler);
      if (service) node(key.service(service));
    }
    for (const service of path.services) node(key.service(service));
    for (const serviceEdge of path.serviceEdges) {
      for (const event of serviceEdge.events) {
        edge(key.service(serviceEdge.from), key.event(event));
        edge(key.event(event), key.service(serviceEdge.to));
      }
    }
  } else {
    const hopServices = path.hops.map((hop) => serviceOf(hop.handler));
    const count = path.closed ? hopServices.length : hopServices.length - 1;
    for (let i = 0; i < count; i++) {
      const from = hopServices[i];
      const to = hopServices[(i + 1) % hopServices.length];
      if (from && to && from !== to) edge(key.service(from), key.service(to));
    }
    for (const service of hopServices) if (service) node(key.service(service));
    for (const handler of path.handlers) {
      const service = serviceOf(handler);
      if (service) node(key.service(service));
    }
    for (const service of path.services) node(key.service(service));
    for (const serviceEdge of path.serviceEdges) edge(key.service(serviceEdge.from), key.service(serviceEdge.to));
  }
  return { nodes: uniqueSorted(nodes), edges: uniqueSorted(edges) };
}
