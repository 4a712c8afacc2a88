import type { FlowEdge, Topology } from '../../graph/topology.js';
import type { Declaration, RelatedLocation } from '../../model/result.js';
import { eventName, locationOf, related, wildcardMatcher } from '../describe.js';
import { COMPENSATION_PATTERN, DEFAULT_FAILURE_PATTERNS, failureMatcher, nameWords } from '../../util/failure-events.js';
import type { Rule } from '../types.js';

export interface MissingCompensationOptions {
  /** Regular expressions over a name's lower-case words that make it a failure event. */
  failurePatterns: string[];
  /** More failure events, by name (`*` wildcards). */
  failureEvents: string[];
  /** Success event → the event that compensates it: it must follow from every later failure. */
  compensations: Record<string, string>;
  /** Steps that need no compensation (read-only steps, the saga's pivot): event or service names. */
  noCompensation: string[];
}

const MAX_DEPTH = 24;

interface Step {
  service: string;
  event: string;
  publish: Declaration;
}

export const missingCompensation: Rule<MissingCompensationOptions> = {
  meta: {
    id: 'missing-compensation',
    description: 'A service did work that a later failure invalidates, and neither reacts to that failure nor to anything it causes.',
    defaultSeverity: 'error',
    docs: 'docs/rules/missing-compensation.md',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        failurePatterns: { type: 'array', items: { type: 'string', minLength: 1 } },
        failureEvents: { type: 'array', items: { type: 'string', minLength: 1 } },
        compensations: { type: 'object', additionalProperties: { type: 'string', minLength: 1 } },
        noCompensation: { type: 'array', items: { type: 'string', minLength: 1 } },
      },
    },
    defaultOptions: { failurePatterns: DEFAULT_FAILURE_PATTERNS, failureEvents: [], compensations: {}, noCompensation: [] },
  },
  create(context) {
    const byPattern = failureMatcher(context.options.failurePatterns);
    const listed = wildcardMatcher(context.options.failureEvents);
    const isFailure = (name: string) => byPattern(name) || listed(name);
    const exempt = new Set(context.options.noCompensation);
    return {
      topology(topology) {
        const name = (id: string) => eventName(topology, id);
        /** (service, success event) → the failures it is not compensated for, with the flow that raises each. */
        const missing = new Map<string, { step: Step; failures: Array<{ failure: FlowEdge; path: FlowEdge[] }> }>();
        for (const flow of topology.allFlows()) {
          if (!isFailure(name(flow.to))) continue;
          const failing = topology.handler(flow.handler)?.service;
          const consequences = forwardClosure(topology, flow.to);
          const siblings = topology.flows(flow.from).filter((sibling) => sibling.handler === flow.handler && COMPENSATION_PATTERN.test(nameWords(name(sibling.to))));
          for (const { step, path } of upstreamSteps(topology, flow.from, isFailure)) {
            if (step.service === failing || exempt.has(step.event) || exempt.has(name(step.event)) || exempt.has(step.service)) continue;
            const required = context.options.compensations[name(step.event)];
            const reacts = required
              ? [...consequences].some((id) => name(id) === required) || siblings.some((sibling) => name(sibling.to) === required)
              : [...consequences, ...siblings.map((sibling) => sibling.to)].some((id) => reactsTo(topology, step.service, id));
            if (reacts) continue;
            const key = `${step.service}\0${step.event}`;
            const entry = missing.get(key) ?? { step, failures: [] };
            if (!entry.failures.some((known) => known.failure.to === flow.to)) entry.failures.push({ failure: flow, path });
            missing.set(key, entry);
          }
        }
        for (const { step, failures } of missing.values()) {
          const required = context.options.compensations[name(step.event)];
          const failureList = failures.map(({ failure }) => {
            const site = topology.declaration(failure.publish);
            const by = topology.handler(failure.handler)?.service ?? '?';
            return `${name(failure.to)} (${by}${site ? `, ${site.file}:${site.line}` : ''})`;
          });
          const remedy = required
            ? `${required}, its compensation, does not follow from ${failures.length === 1 ? 'it' : 'them'}`
            : `${step.service} never reacts to ${failures.length === 1 ? 'it' : 'them'} or to what ${failures.length === 1 ? 'it causes' : 'they cause'}: no compensation path`;
          const relatedLocations: RelatedLocation[] = [];
          for (const { failure, path } of failures) {
            for (const hop of path) {
              const publish = topology.declaration(hop.publish);
              if (publish) relatedLocations.push(related(publish, `then ${topology.handler(hop.handler)?.service ?? '?'} publishes ${name(hop.to)}`));
            }
            const site = topology.declaration(failure.publish);
            if (site) relatedLocations.push(related(site, `and ${topology.handler(failure.handler)?.service ?? '?'} publishes the failure ${name(failure.to)}`));
          }
          const seen = new Set<string>();
          const uniqueLocations = relatedLocations.filter((location) => {
            const key = `${location.repository ?? ''}:${location.file}:${location.line}:${location.column}`;
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
          });
          context.report({
            message: `${step.service} publishes ${name(step.event)} before ${failureList.join(' or ')} can occur; ${remedy}`,
            location: locationOf(step.publish),
            related: uniqueLocations,
            identity: [step.service, step.event],
            data: { service: step.service, event: step.event, failures: failures.map(({ failure }) => failure.to), ...(required ? { compensation: required } : {}) },
          });
        }
      },
    };
  },
};

/** The event and every event it causes, through handlers, transitively. */
function forwardClosure(topology: Topology, start: string): Set<string> {
  const seen = new Set([start]);
  let frontier = [start];
  for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const event of frontier) {
      for (const flow of topology.flows(event)) {
        if (seen.has(flow.to)) continue;
        seen.add(flow.to);
        next.push(flow.to);
      }
    }
    frontier = next;
  }
  return seen;
}

function reactsTo(topology: Topology, service: string, event: string): boolean {
  return topology.consumersOf(event).some((handler) => topology.handler(handler)?.service === service);
}

/**
 * The steps that did work before `event` happened: walking the flows backwards, every service
 * that published a success event on the way, with the flows from that event to `event`.
 */
function upstreamSteps(topology: Topology, event: string, isFailure: (name: string) => boolean): Array<{ step: Step; path: FlowEdge[] }> {
  const incoming = incomingFlows(topology);
  const result: Array<{ step: Step; path: FlowEdge[] }> = [];
  const seen = new Set([event]);
  let frontier: Array<{ event: string; path: FlowEdge[] }> = [{ event, path: [] }];
  for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
    const next: Array<{ event: string; path: FlowEdge[] }> = [];
    for (const current of frontier) {
      const flowsIn = incoming.get(current.event) ?? [];
      const success = !isFailure(eventName(topology, current.event));
      if (success) {
        const publishes = flowsIn.length > 0 ? flowsIn.map((flow) => topology.declaration(flow.publish)!).filter(Boolean) : topology.producersOf(current.event);
        for (const publish of unique(publishes)) result.push({ step: { service: publish.service, event: current.event, publish }, path: current.path });
      }
      for (const flow of flowsIn) {
        if (seen.has(flow.from)) continue;
        seen.add(flow.from);
        next.push({ event: flow.from, path: [flow, ...current.path] });
      }
    }
    frontier = next;
  }
  return result;
}

const incomingCache = new WeakMap<Topology, Map<string, FlowEdge[]>>();

function incomingFlows(topology: Topology): Map<string, FlowEdge[]> {
  let incoming = incomingCache.get(topology);
  if (!incoming) {
    incoming = new Map();
    for (const flow of topology.allFlows()) incoming.set(flow.to, [...(incoming.get(flow.to) ?? []), flow]);
    incomingCache.set(topology, incoming);
  }
  return incoming;
}

function unique(declarations: Declaration[]): Declaration[] {
  return [...new Map(declarations.map((declaration) => [declaration.id, declaration])).values()];
}
