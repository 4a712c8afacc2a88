import { Graph } from '@dagrejs/graphlib';
import { RPC_TRANSPORT, type Declaration, type Handler, type Route, type Service, type Topology as TopologyDocument, type TopologyEdge, type TopologyEvent } from '../model/result.js';
import { compareBy, compareStrings } from '../util/compare.js';
import { compilePattern } from './patterns.js';

/** What the topology is built from: the link stage's output, or the same parts of result documents. */
export interface TopologyInput {
  services: readonly Service[];
  declarations: readonly Declaration[];
  routes: readonly Route[];
  handlers: readonly Handler[];
}

/** An event → event edge of the event-flow view: a handler of `from` publishes `to`. */
export interface FlowEdge {
  from: string;
  to: string;
  handler: string;
  subscribe: string;
  publish: string;
  via: string[];
}

export { RPC_TRANSPORT } from '../model/result.js';

export const nodeId = {
  service: (name: string) => `service:${name}`,
  event: (id: string) => `event:${id}`,
  handler: (id: string) => `handler:${id}`,
};

/** In-process events (an EventEmitter) live in one service's process; broker events are global. */
export function eventIdOf(declaration: Pick<Declaration, 'event' | 'transport' | 'service'>): string {
  return declaration.transport === 'in-process' ? `${declaration.event}@${declaration.service}` : declaration.event;
}

/**
 * The topology on graphlib: service, event and handler nodes with publish, subscribe and trigger
 * edges, plus two derived views: the event-flow graph (event → event through a handler), on which
 * cycles and chains are judged, and the service graph. Built once; checkers only query it.
 */
export class Topology {
  private wholeGraph: Graph | undefined;
  /** Edge keys already added: one edge per kind, declaration and end points. */
  private readonly edgeKeys = new Set<string>();
  readonly flowGraph = new Graph({ directed: true, multigraph: true });
  readonly serviceGraph = new Graph({ directed: true, multigraph: false });
  private readonly eventsById = new Map<string, TopologyEvent>();
  private readonly declarationsById: Map<string, Declaration>;
  private readonly handlersById: Map<string, Handler>;
  private readonly flowEdges: FlowEdge[] = [];
  private readonly flowsByOrigin = new Map<string, FlowEdge[]>();
  private readonly edges: TopologyEdge[] = [];
  private readonly subscriptionEvents = new Map<string, string[]>();

  constructor(readonly input: TopologyInput) {
    this.declarationsById = new Map(input.declarations.map((declaration) => [declaration.id, declaration]));
    this.handlersById = new Map(input.handlers.map((handler) => [handler.id, handler]));
    this.addEvents();
    this.addEdges();
  }

  events(): TopologyEvent[] {
    return [...this.eventsById.values()];
  }

  event(id: string): TopologyEvent | undefined {
    return this.eventsById.get(id);
  }

  declaration(id: string): Declaration | undefined {
    return this.declarationsById.get(id);
  }

  handler(id: string): Handler | undefined {
    return this.handlersById.get(id);
  }

  handlers(): readonly Handler[] {
    return this.input.handlers;
  }

  /** The events a subscribe declaration attaches to (several for a pattern). */
  eventsOfSubscription(declarationId: string): readonly string[] {
    return this.subscriptionEvents.get(declarationId) ?? [];
  }

  /** The distinct handlers that consume an event, sorted. */
  consumersOf(eventId: string): string[] {
    const handlers = new Set<string>();
    for (const id of this.eventsById.get(eventId)?.subscribers ?? []) {
      const handler = this.declarationsById.get(id)?.handler;
      if (handler) handlers.add(handler);
    }
    return [...handlers].sort(compareStrings);
  }

  /** The publish declarations of an event. */
  producersOf(eventId: string): Declaration[] {
    return (this.eventsById.get(eventId)?.publishers ?? []).map((id) => this.declarationsById.get(id)!).filter(Boolean);
  }

  /** The events on the service graph's edge from one service to another. */
  serviceEdgeEvents(from: string, to: string): string[] {
    return (this.serviceGraph.edge(from, to) as { events: string[] } | undefined)?.events ?? [];
  }

  /** Flow edges from one event to another (all of them without `to`). */
  flows(from: string, to?: string): FlowEdge[] {
    const edges = this.flowsByOrigin.get(from) ?? [];
    return to === undefined ? edges : edges.filter((edge) => edge.to === to);
  }

  allFlows(): readonly FlowEdge[] {
    return this.flowEdges;
  }

  toDocument(): TopologyDocument {
    return { events: this.events(), edges: this.edges };
  }

  private addEvents(): void {
    const routesInto = new Map<string, Route[]>();
    for (const route of this.input.routes) {
      if (!route.dynamic) routesInto.set(route.to, [...(routesInto.get(route.to) ?? []), route]);
    }
    const isRoutedChannel = (declaration: Declaration) =>
      declaration.kind === 'subscribe' && declaration.transport !== 'in-process' && routesInto.has(declaration.event);
    const concrete = this.input.declarations.filter(
      (declaration) => !declaration.dynamic && declaration.match === undefined && !isRoutedChannel(declaration),
    );
    for (const declaration of [...concrete].sort(compareBy<Declaration>((d) => eventIdOf(d)))) {
      const event = this.ensureEvent(declaration);
      (declaration.kind === 'publish' ? event.publishers : event.subscribers).push(declaration.id);
      if (declaration.kind === 'subscribe') this.subscriptionEvents.set(declaration.id, [event.id]);
    }
    const brokerEvents = [...this.eventsById.values()].filter((event) => event.scope === undefined);
    for (const declaration of this.input.declarations) {
      if (declaration.kind !== 'subscribe' || declaration.dynamic) continue;
      let matches: TopologyEvent[];
      if (declaration.match !== undefined) {
        const matcher = compilePattern(declaration.match, declaration.event);
        const candidates = declaration.transport === 'in-process' ? this.eventsInScope(declaration.service) : brokerEvents;
        matches = candidates.filter((event) => matcher(event.name));
      } else if (isRoutedChannel(declaration)) {
        matches = this.routedInto(declaration.event, routesInto, brokerEvents);
      } else {
        continue;
      }
      for (const event of matches) event.subscribers.push(declaration.id);
      this.subscriptionEvents.set(declaration.id, matches.map((event) => event.id).sort(compareStrings));
    }
    for (const event of this.eventsById.values()) {
      event.transports.sort(compareStrings);
      event.publishers.sort(compareStrings);
      event.subscribers.sort(compareStrings);
    }
  }

  private ensureEvent(declaration: Declaration): TopologyEvent {
    const id = eventIdOf(declaration);
    let event = this.eventsById.get(id);
    if (!event) {
      event = {
        id,
        name: declaration.event,
        ...(declaration.transport === 'in-process' ? { scope: declaration.service } : {}),
        transports: [],
        publishers: [],
        subscribers: [],
      };
      this.eventsById.set(id, event);
      this.flowGraph.setNode(id, event);
    }
    if (!event.transports.includes(declaration.transport)) event.transports.push(declaration.transport);
    return event;
  }

  private eventsInScope(service: string): TopologyEvent[] {
    return [...this.eventsById.values()].filter((event) => event.scope === service);
  }

  /** Every event delivered into a channel through routes, following chains of routes (exchange → exchange). */
  private routedInto(channel: string, routesInto: Map<string, Route[]>, brokerEvents: TopologyEvent[]): TopologyEvent[] {
    const found = new Map<string, TopologyEvent>();
    const visited = new Set<string>();
    const pending = [channel];
    while (pending.length > 0) {
      const current = pending.pop()!;
      if (visited.has(current)) continue;
      visited.add(current);
      const direct = this.eventsById.get(current);
      if (direct && direct.scope === undefined && direct.publishers.length > 0) found.set(direct.id, direct);
      for (const route of routesInto.get(current) ?? []) {
        if (route.match) {
          const matcher = compilePattern(route.match, route.from);
          for (const event of brokerEvents) if (matcher(event.name)) found.set(event.id, event);
        } else {
          pending.push(route.from);
        }
      }
    }
    return [...found.values()];
  }

  /**
   * Services, events and handlers with their publish, subscribe, trigger and flow edges, as one
   * graph. Built on first use: no rule needs it, and at 10,000 files it costs a tenth of a run.
   */
  get graph(): Graph {
    if (!this.wholeGraph) {
      const graph = new Graph({ directed: true, multigraph: true });
      for (const event of this.eventsById.values()) graph.setNode(nodeId.event(event.id), event);
      for (const service of this.input.services) graph.setNode(nodeId.service(service.name), service);
      for (const handler of this.input.handlers) graph.setNode(nodeId.handler(handler.id), handler);
      for (const edge of this.edges) if (edge.kind !== 'flow') graph.setEdge(edge.from, edge.to, edge, `${edge.kind}|${edge.declaration}`);
      this.wholeGraph = graph;
    }
    return this.wholeGraph;
  }

  private addEdges(): void {
    for (const declaration of this.input.declarations) {
      if (declaration.dynamic) continue;
      if (declaration.kind === 'publish') {
        this.addEdge({ kind: 'publish', from: nodeId.service(declaration.service), to: nodeId.event(eventIdOf(declaration)), declaration: declaration.id });
      } else if (declaration.handler) {
        for (const event of this.eventsOfSubscription(declaration.id)) {
          this.addEdge({ kind: 'subscribe', from: nodeId.event(event), to: nodeId.handler(declaration.handler), declaration: declaration.id });
        }
      }
    }
    for (const handler of this.input.handlers) {
      for (const trigger of handler.triggers) {
        const publish = this.declarationsById.get(trigger.declaration);
        if (!publish || publish.dynamic) continue;
        const isRequest = publish.transport === RPC_TRANSPORT;
        const to = eventIdOf(publish);
        this.addEdge({ kind: 'trigger', from: nodeId.handler(handler.id), to: nodeId.event(to), declaration: publish.id });
        for (const subscribe of handler.subscribes) {
          for (const from of this.eventsOfSubscription(subscribe)) {
            const fromName = this.eventsById.get(from)?.name;
            if (trigger.when !== undefined && fromName !== trigger.when) continue;
            if (trigger.unless !== undefined && fromName !== undefined && trigger.unless.includes(fromName)) continue;
            if (isRequest || this.declarationsById.get(subscribe)?.transport === RPC_TRANSPORT) continue;
            const flow: FlowEdge = { from, to, handler: handler.id, subscribe, publish: publish.id, via: trigger.via };
            if (this.flowGraph.hasEdge(from, to, `${handler.id}|${publish.id}`)) continue;
            this.flowEdges.push(flow);
            this.flowGraph.setEdge(from, to, flow, `${handler.id}|${publish.id}`);
            this.edges.push({ kind: 'flow', from: nodeId.event(from), to: nodeId.event(to), declaration: publish.id, handler: handler.id });
          }
        }
      }
    }
    this.addServiceEdges();
    const order = compareBy<TopologyEdge>((e) => e.kind, (e) => e.from, (e) => e.to, (e) => e.declaration, (e) => e.handler ?? '');
    this.edges.sort(order);
    this.flowEdges.sort(compareBy<FlowEdge>((e) => e.from, (e) => e.to, (e) => e.handler, (e) => e.publish));
    for (const edge of this.flowEdges) {
      const list = this.flowsByOrigin.get(edge.from);
      if (list) list.push(edge);
      else this.flowsByOrigin.set(edge.from, [edge]);
    }
  }

  private addServiceEdges(): void {
    for (const event of this.eventsById.values()) {
      const producers = new Set(event.publishers.map((id) => this.declarationsById.get(id)?.service ?? ''));
      const consumers = new Set(event.subscribers.map((id) => this.declarationsById.get(id)?.service ?? ''));
      for (const producer of producers) {
        for (const consumer of consumers) {
          if (producer === consumer) continue;
          const label = (this.serviceGraph.edge(producer, consumer) as { events: string[] } | undefined) ?? { events: [] };
          label.events.push(event.id);
          this.serviceGraph.setEdge(producer, consumer, label);
        }
      }
    }
  }

  private addEdge(edge: TopologyEdge): void {
    const key = `${edge.kind}|${edge.declaration}\0${edge.from}\0${edge.to}`;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.edges.push(edge);
  }
}

export function buildTopology(input: TopologyInput): Topology {
  return new Topology(input);
}
