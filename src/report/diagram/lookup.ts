import type { Declaration, Handler, Result, Service, TopologyEvent } from '../../model/result.js';
import { compareStrings, uniqueSorted } from '../../util/compare.js';

export const EVENT_PREFIX = 'event:';
export const SERVICE_PREFIX = 'service:';
export const HANDLER_PREFIX = 'handler:';

export const key = {
  event: (id: string) => `${EVENT_PREFIX}${id}`,
  service: (name: string) => `${SERVICE_PREFIX}${name}`,
  handler: (id: string) => `${HANDLER_PREFIX}${id}`,
};

/** A flow edge of the document: event → event through a handler, by one publish. */
export interface FlowStep {
  from: string;
  to: string;
  handler: string;
  declaration: string;
}

/** Indexes over the result document that the diagram and flow renderers share. */
export class ResultIndex {
  readonly declarations: Map<string, Declaration>;
  readonly handlers: Map<string, Handler>;
  readonly events: Map<string, TopologyEvent>;
  readonly services: Map<string, Service>;
  /** Event id → handler ids that consume it (subscribe edges), sorted. */
  readonly consumers = new Map<string, string[]>();
  /** Handler id → event ids it consumes, sorted. */
  readonly consumed = new Map<string, string[]>();
  /** Handler id → event ids it publishes (trigger edges), sorted. */
  readonly triggered = new Map<string, string[]>();
  /** `handler\0publish declaration` → the event a trigger edge leads to. */
  readonly triggerTargets = new Map<string, string>();
  /** Event id → flow steps out of it, sorted by handler then target. */
  readonly flowsFrom = new Map<string, FlowStep[]>();

  constructor(readonly result: Result) {
    this.declarations = new Map(result.declarations.map((declaration) => [declaration.id, declaration]));
    this.handlers = new Map(result.handlers.map((handler) => [handler.id, handler]));
    this.events = new Map(result.topology.events.map((event) => [event.id, event]));
    this.services = new Map(result.services.map((service) => [service.name, service]));
    const push = (map: Map<string, string[]>, at: string, value: string) => {
      const list = map.get(at);
      if (list) list.push(value);
      else map.set(at, [value]);
    };
    for (const edge of result.topology.edges) {
      if (edge.kind === 'subscribe' && edge.from.startsWith(EVENT_PREFIX) && edge.to.startsWith(HANDLER_PREFIX)) {
        const event = edge.from.slice(EVENT_PREFIX.length);
        const handler = edge.to.slice(HANDLER_PREFIX.length);
        push(this.consumers, event, handler);
        push(this.consumed, handler, event);
      } else if (edge.kind === 'trigger' && edge.from.startsWith(HANDLER_PREFIX) && edge.to.startsWith(EVENT_PREFIX)) {
        push(this.triggered, edge.from.slice(HANDLER_PREFIX.length), edge.to.slice(EVENT_PREFIX.length));
        this.triggerTargets.set(`${edge.from.slice(HANDLER_PREFIX.length)}\0${edge.declaration}`, edge.to.slice(EVENT_PREFIX.length));
      } else if (edge.kind === 'flow' && edge.handler) {
        const step = { from: edge.from.slice(EVENT_PREFIX.length), to: edge.to.slice(EVENT_PREFIX.length), handler: edge.handler, declaration: edge.declaration };
        const list = this.flowsFrom.get(step.from);
        if (list) list.push(step);
        else this.flowsFrom.set(step.from, [step]);
      }
    }
    for (const map of [this.consumers, this.consumed, this.triggered]) for (const [at, list] of map) map.set(at, uniqueSorted(list));
    for (const list of this.flowsFrom.values()) {
      list.sort((a, b) => compareStrings(a.handler, b.handler) || compareStrings(a.to, b.to) || compareStrings(a.declaration, b.declaration));
    }
  }

  eventName(id: string): string {
    return this.events.get(id)?.name ?? id;
  }

  /** The services that publish an event (through its publish declarations), sorted. */
  publishingServices(eventId: string): string[] {
    return this.servicesOf(this.events.get(eventId)?.publishers ?? []);
  }

  /** The services that consume an event (through its subscribe declarations), sorted. */
  consumingServices(eventId: string): string[] {
    return this.servicesOf(this.events.get(eventId)?.subscribers ?? []);
  }

  handlerService(handlerId: string): string | undefined {
    return this.handlers.get(handlerId)?.service;
  }

  /** Every service the document names: its services, and those of declarations and handlers. */
  allServices(): string[] {
    return uniqueSorted([
      ...this.result.services.map((service) => service.name),
      ...this.result.declarations.map((declaration) => declaration.service),
      ...this.result.handlers.map((handler) => handler.service),
    ]);
  }

  /** Events whose id or name is the given text (ids first). */
  eventsNamed(text: string): string[] {
    if (this.events.has(text)) return [text];
    return this.result.topology.events.filter((event) => event.name === text).map((event) => event.id);
  }

  /** The condition under which a handler's publish runs: `when X`, `unless X, Y`, or undefined. */
  conditionOf(handlerId: string, declaration: string): string | undefined {
    const trigger = this.handlers.get(handlerId)?.triggers.find((candidate) => candidate.declaration === declaration);
    if (!trigger) return undefined;
    if (trigger.when !== undefined) return `when ${trigger.when}`;
    if (trigger.unless !== undefined && trigger.unless.length > 0) return `unless ${trigger.unless.join(', ')}`;
    return undefined;
  }

  private servicesOf(declarationIds: readonly string[]): string[] {
    return uniqueSorted(declarationIds.map((id) => this.declarations.get(id)?.service ?? '').filter(Boolean));
  }
}
