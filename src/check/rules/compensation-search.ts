import type { FlowEdge, Topology } from '../../graph/topology.js';
import type { Declaration } from '../../model/result.js';
import { COMPENSATION_PATTERN, nameWords } from '../../util/failure-events.js';
import { eventName } from '../describe.js';
import { FlowReach } from './flow-reach.js';

/** How far the walk goes backwards from where a failure is raised. */
const MAX_DEPTH = 24;
/** A finding lists this many failures with their paths… */
export const MAX_LISTED_FAILURES = 5;
/** …and counts the others up to this many (a dense graph has thousands per step). */
export const MAX_COUNTED_FAILURES = 100;

export interface Step {
  service: string;
  event: string;
  publish: Declaration;
}

/** A step with what the search asks of it on every visit, worked out once. */
interface SearchStep extends Step {
  key: string;
  exempt: boolean;
  /** The compensation this step's event must be followed by, when the options name one. */
  required?: string;
}

export interface Missing {
  step: Step;
  /** The first failures found, with the flows that lead from the step to each. */
  failures: Array<{ failure: FlowEdge; path: FlowEdge[] }>;
  /** Every failure found (up to MAX_COUNTED_FAILURES). */
  failureEvents: Set<string>;
}

export interface SearchOptions {
  isFailure: (name: string) => boolean;
  /** Event or service names of steps that need no compensation. */
  exempt: ReadonlySet<string>;
  /** Success event name → the event that must follow from every later failure. */
  compensations: Readonly<Record<string, string>>;
}

/**
 * Every (service, success event) step that a later failure invalidates while the service reacts
 * neither to the failure nor to anything it causes, in the order found. Flows come sorted by
 * origin, so the steps upstream of an origin are walked once for all the failures raised there,
 * and not at all when every service that could be a step reacts to each of them: on a dense graph
 * the walks, not the findings, are what costs.
 */
export function missingCompensations(topology: Topology, options: SearchOptions): Missing[] {
  const name = (id: string) => eventName(topology, id);
  const compensationNames = new Set(Object.values(options.compensations));
  const reach = new FlowReach(topology, compensationNames);
  const isFailure = memoized(options.isFailure);
  const incoming = incomingFlows(topology);
  /** The steps an event is: its publishes (through the flows into it, else all of them), unless it is a failure. */
  const stepsAt = memoized((event: string): SearchStep[] => {
    if (isFailure(name(event))) return [];
    const flowsIn = incoming.get(event) ?? [];
    const publishes = flowsIn.length > 0 ? flowsIn.map((flow) => topology.declaration(flow.publish)!).filter(Boolean) : topology.producersOf(event);
    const exemptEvent = options.exempt.has(event) || options.exempt.has(name(event));
    const required = options.compensations[name(event)];
    return unique(publishes).map((publish) => ({
      service: publish.service,
      event,
      publish,
      key: `${publish.service}\0${event}`,
      exempt: exemptEvent || options.exempt.has(publish.service),
      ...(required === undefined ? {} : { required }),
    }));
  });
  const missing = new Map<string, Missing>();

  const flows = topology.allFlows();
  for (let first = 0; first < flows.length; ) {
    let last = first;
    while (last < flows.length && flows[last]!.from === flows[first]!.from) last++;
    const checks = flows
      .slice(first, last)
      .filter((flow) => isFailure(name(flow.to)))
      .map((flow) => {
        const siblings = topology.flows(flow.from).filter((sibling) => sibling.handler === flow.handler && COMPENSATION_PATTERN.test(nameWords(name(sibling.to))));
        return { flow, failing: topology.handler(flow.handler)?.service, siblings: reactions(topology, siblings.map((sibling) => sibling.to), compensationNames) };
      })
      // Walk upstream only when a service there could be a step that misses the failure.
      .filter(
        (check) =>
          unmetCompensation(check, reach, compensationNames) ||
          reach.unreactingUpstream(check.flow.from, check.flow.to, [...check.siblings.services, ...options.exempt, ...(check.failing === undefined ? [] : [check.failing])]) > 0,
      );
    first = last;
    if (checks.length === 0) continue;

    walkUpstream(checks[0]!.flow.from, incoming, (at) => {
      // Step by step, so that a step whose finding already counts all it will count is passed over.
      for (const step of stepsAt(at.event)) {
        if (step.exempt) continue;
        let entry = missing.get(step.key);
        if (entry && entry.failureEvents.size >= MAX_COUNTED_FAILURES) continue;
        for (const { flow, failing, siblings } of checks) {
          if (step.service === failing) continue;
          const reacts = step.required
            ? reach.follows(flow.to, step.required) || siblings.names.has(step.required)
            : reach.reacts(flow.to, step.service) || siblings.services.has(step.service);
          if (reacts) continue;
          if (!entry) missing.set(step.key, (entry = { step, failures: [], failureEvents: new Set() }));
          if (entry.failureEvents.size >= MAX_COUNTED_FAILURES) break;
          if (entry.failureEvents.has(flow.to)) continue;
          entry.failureEvents.add(flow.to);
          if (entry.failures.length < MAX_LISTED_FAILURES) entry.failures.push({ failure: flow, path: pathOf(at) });
        }
      }
    });
  }
  return [...missing.values()];
}

interface Check {
  flow: FlowEdge;
  failing: string | undefined;
  siblings: Reactions;
}

/** Whether a listed compensation follows neither from the failure nor beside it (a step of that event would miss it). */
function unmetCompensation(check: Check, reach: FlowReach, compensationNames: ReadonlySet<string>): boolean {
  return [...compensationNames].some((required) => !reach.follows(check.flow.to, required) && !check.siblings.names.has(required));
}

/** Who reacts to a set of events: the services of their handlers, and the compensation names among them. */
interface Reactions {
  services: ReadonlySet<string>;
  names: ReadonlySet<string>;
}

function reactions(topology: Topology, events: Iterable<string>, compensationNames: ReadonlySet<string>): Reactions {
  const services = new Set<string>();
  const names = new Set<string>();
  for (const event of events) {
    const named = eventName(topology, event);
    if (compensationNames.has(named)) names.add(named);
    for (const handler of topology.consumersOf(event)) {
      const service = topology.handler(handler)?.service;
      if (service !== undefined) services.add(service);
    }
  }
  return { services, names };
}

function memoized<T>(compute: (key: string) => T): (key: string) => T {
  const known = new Map<string, T>();
  return (key) => {
    if (!known.has(key)) known.set(key, compute(key));
    return known.get(key)!;
  };
}

/** An event reached walking the flows backwards: the flow taken from it, and where that flow led. */
interface Reached {
  event: string;
  flow?: FlowEdge;
  next?: Reached;
}

/** The flows from a reached event forward to where the walk started. */
function pathOf(reached: Reached): FlowEdge[] {
  const path: FlowEdge[] = [];
  for (let at: Reached | undefined = reached; at?.flow; at = at.next) path.push(at.flow);
  return path;
}

/**
 * Walks the flows backwards from `event`, breadth first, up to MAX_DEPTH flows away: every event
 * on the way is visited once, with where the walk reached it (its path forward to `event`).
 */
function walkUpstream(event: string, incoming: ReadonlyMap<string, FlowEdge[]>, visit: (at: Reached) => void): void {
  const seen = new Set([event]);
  let frontier: Reached[] = [{ event }];
  for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
    const next: Reached[] = [];
    for (const current of frontier) {
      visit(current);
      for (const flow of incoming.get(current.event) ?? []) {
        if (seen.has(flow.from)) continue;
        seen.add(flow.from);
        next.push({ event: flow.from, flow, next: current });
      }
    }
    frontier = next;
  }
}

const incomingCache = new WeakMap<Topology, Map<string, FlowEdge[]>>();

function incomingFlows(topology: Topology): Map<string, FlowEdge[]> {
  let incoming = incomingCache.get(topology);
  if (!incoming) {
    incoming = new Map();
    for (const flow of topology.allFlows()) {
      const list = incoming.get(flow.to);
      if (list) list.push(flow);
      else incoming.set(flow.to, [flow]);
    }
    incomingCache.set(topology, incoming);
  }
  return incoming;
}

function unique(declarations: Declaration[]): Declaration[] {
  return [...new Map(declarations.map((declaration) => [declaration.id, declaration])).values()];
}
