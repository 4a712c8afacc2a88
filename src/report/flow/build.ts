import type { Result } from '../../model/result.js';
import { compareStrings, uniqueSorted } from '../../util/compare.js';
import { COMPENSATION_PATTERN, DEFAULT_FAILURE_EVENTS, failureEventMatcher, nameWords, type FailureEvents } from '../../util/failure-events.js';
import { ResultIndex } from '../diagram/lookup.js';
import { suggestNames } from '../diagram/suggest.js';

export type FlowKind = 'normal' | 'failure' | 'compensation';

/** An event of the flow, with the handlers it triggers (none when it is a revisit). */
export interface FlowEvent {
  event: string;
  name: string;
  kind: FlowKind;
  /** How the handler above publishes it: `when X` or `unless X, Y` (a branch of the handler). */
  condition?: string;
  /**
   * `cycle`: the event is already on the path to it; `seen`: it was expanded earlier in the flow;
   * `depth`: the flow is MAX_FLOW_DEPTH events deep here and goes on unexpanded.
   */
  revisit?: 'cycle' | 'seen' | 'depth';
  /** For a revisit: the services whose handlers consume it (where the flow goes on). */
  continuesTo?: string[];
  handlers: FlowHandler[];
}

export interface FlowHandler {
  id: string;
  name: string;
  service: string;
  /** The handler's body was not found: it may publish what we cannot see. */
  unresolved?: boolean;
  publishes: FlowEvent[];
}

export interface Flow {
  repository: string;
  start: FlowEvent;
  /** The services that publish the start event. */
  publishers: string[];
  summary: { events: number; handlers: number; services: string[]; failures: number; compensations: number; cycles: number };
}

/** How many events deep a flow is expanded (and the renderers recurse). */
export const MAX_FLOW_DEPTH = 200;

const isDefaultFailure = failureEventMatcher(DEFAULT_FAILURE_EVENTS);
const KIND_RANK: Record<FlowKind, number> = { normal: 0, failure: 1, compensation: 2 };

/**
 * Failure events by name (src/util/failure-events.ts, as missing-compensation is configured). A name that reads as a compensation
 * (`OrderCancelled`, `PaymentRefunded`) is one inside a failure branch, or when it is no failure.
 */
export function flowKind(name: string, inFailureBranch: boolean, isFailure: (name: string) => boolean = isDefaultFailure): FlowKind {
  const failure = isFailure(name);
  const compensation = COMPENSATION_PATTERN.test(nameWords(name));
  if (compensation && (inFailureBranch || !failure)) return 'compensation';
  return failure ? 'failure' : 'normal';
}

/** The events a `choreolint flow` argument names (id, else name), and near names when none. */
export function resolveFlowStart(result: Result, query: string): { events: string[]; suggestions: string[] } {
  const index = new ResultIndex(result);
  const events = index.eventsNamed(query);
  return { events, suggestions: events.length > 0 ? [] : suggestNames(query, result.topology.events.map((event) => event.name)) };
}

/**
 * The whole workflow that starts at an event: every handler it triggers, what each publishes
 * (under which branch condition), transitively. Depth first in a fixed order (success before
 * failure before compensation, then by name), so the output is stable; an event already on the
 * path is a cycle and an event expanded before is referenced, so the walk always ends.
 */
export function buildFlow(result: Result, startEvent: string, failureEvents: FailureEvents = DEFAULT_FAILURE_EVENTS): Flow {
  const index = new ResultIndex(result);
  const isFailure = failureEvents === DEFAULT_FAILURE_EVENTS ? isDefaultFailure : failureEventMatcher(failureEvents);
  const expanded = new Set<string>();
  const onPath = new Set<string>();
  const handlersSeen = new Set<string>();
  const services = new Set<string>();
  const failures = new Set<string>();
  const compensations = new Set<string>();
  let cycles = 0;

  const consumersOf = (eventId: string) =>
    (index.consumers.get(eventId) ?? [])
      .map((id) => ({ id, handler: index.handlers.get(id) }))
      .sort((a, b) => compareStrings(a.handler?.service ?? '', b.handler?.service ?? '') || compareStrings(a.handler?.name ?? a.id, b.handler?.name ?? b.id) || compareStrings(a.id, b.id));

  const visit = (eventId: string, condition: string | undefined, inFailureBranch: boolean, depth: number): FlowEvent => {
    const name = index.eventName(eventId);
    const kind = flowKind(name, inFailureBranch, isFailure);
    if (kind === 'failure') failures.add(eventId);
    if (kind === 'compensation') compensations.add(eventId);
    const node: FlowEvent = { event: eventId, name, kind, ...(condition ? { condition } : {}), handlers: [] };
    if (onPath.has(eventId) || expanded.has(eventId) || depth >= MAX_FLOW_DEPTH) {
      node.revisit = onPath.has(eventId) ? 'cycle' : expanded.has(eventId) ? 'seen' : 'depth';
      if (node.revisit === 'cycle') cycles++;
      node.continuesTo = uniqueSorted(consumersOf(eventId).map((consumer) => consumer.handler?.service ?? '?'));
      return node;
    }
    expanded.add(eventId);
    onPath.add(eventId);
    const branch = inFailureBranch || kind !== 'normal';
    for (const { id, handler } of consumersOf(eventId)) {
      handlersSeen.add(id);
      if (handler) services.add(handler.service);
      const conditions = new Map<string, Set<string> | null>();
      for (const step of index.flowsFrom.get(eventId) ?? []) {
        if (step.handler !== id) continue;
        const stepCondition = index.conditionOf(id, step.declaration);
        const known = conditions.get(step.to);
        if (stepCondition === undefined || known === null) conditions.set(step.to, null);
        else conditions.set(step.to, new Set([...(known ?? []), stepCondition]));
      }
      const targets = [...conditions]
        .map(([to, set]) => ({ to, condition: set ? uniqueSorted(set).join(' or ') : undefined, kind: flowKind(index.eventName(to), branch, isFailure) }))
        .sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || compareStrings(index.eventName(a.to), index.eventName(b.to)) || compareStrings(a.to, b.to));
      node.handlers.push({
        id,
        name: handler?.name ?? id,
        service: handler?.service ?? '?',
        ...(handler?.unresolved ? { unresolved: true } : {}),
        publishes: targets.map((target) => visit(target.to, target.condition, branch, depth + 1)),
      });
    }
    onPath.delete(eventId);
    return node;
  };

  const start = visit(startEvent, undefined, false, 0);
  return {
    repository: result.repository,
    start,
    publishers: index.publishingServices(startEvent),
    summary: { events: expanded.size, handlers: handlersSeen.size, services: uniqueSorted(services), failures: failures.size, compensations: compensations.size, cycles },
  };
}
