import type { FlowEdge, Topology } from '../../graph/topology.js';
import { stronglyConnectedComponents } from '../../graph/scc.js';
import type { RelatedLocation } from '../../model/result.js';
import { eventName, handlerLabel, localFunctionName, locationOf, related } from '../describe.js';
import type { Rule } from '../types.js';

export interface EventCycleOptions {
  /** Intended loops (retries, polling): a cycle whose events are all listed in one entry is not reported. */
  allow: Array<{ events: string[]; reason: string }>;
}

/** Bounds the search for an example cycle, so a dense component costs linear time, not exponential. */
const MAX_SEARCH_STARTS = 64;
const MAX_SEARCH_STEPS = 200_000;

export const eventCycle: Rule<EventCycleOptions> = {
  meta: {
    id: 'event-cycle',
    description: 'Events that cause themselves again through the handlers they trigger: a cycle in the event-flow graph.',
    defaultSeverity: 'error',
    docs: 'docs/rules/event-cycle.md',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allow: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['events', 'reason'],
            properties: {
              events: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
              reason: { type: 'string', minLength: 1 },
            },
          },
        },
      },
    },
    defaultOptions: { allow: [] },
  },
  create(context) {
    return {
      topology(topology) {
        const graph = topology.flowGraph;
        const components = stronglyConnectedComponents(graph.nodes(), (node) => graph.successors(node) ?? []);
        for (const members of components) {
          const only = members[0]!;
          if (members.length === 1 && topology.flows(only, only).length === 0) continue;
          if (isAllowed(topology, members, context.options.allow)) continue;
          const cycle = shortestCycle(topology, members);
          const hops = cycle.map((event, index) => topology.flows(event, cycle[(index + 1) % cycle.length]!)[0]!);
          const kind = cycle.length === 1 ? 'self-loop' : cycle.length === 2 ? 'ping-pong' : `${cycle.length} events`;
          const names = [...cycle, cycle[0]!].map((id) => topology.event(id)?.name ?? id);
          const wider = members.length > cycle.length ? `; ${members.length} events are in this cycle, the shortest loop is shown` : '';
          const closing = topology.declaration(hops[hops.length - 1]!.publish)!;
          context.report({
            message: `Event cycle (${kind}): ${names.join(' → ')}${wider}`,
            location: locationOf(closing),
            related: hops.flatMap((hop) => hopLocations(topology, hop)),
            identity: members,
            data: {
              kind: cycle.length === 1 ? 'self-loop' : cycle.length === 2 ? 'ping-pong' : 'longer',
              cycle,
              members,
              hops: hops.map((hop) => ({ event: hop.from, handler: hop.handler, subscribe: hop.subscribe, publish: hop.publish, next: hop.to })),
            },
          });
        }
      },
    };
  },
};

function isAllowed(topology: Topology, members: string[], allow: EventCycleOptions['allow']): boolean {
  return allow.some((entry) => {
    const listed = new Set(entry.events);
    return members.every((id) => listed.has(id) || listed.has(topology.event(id)?.name ?? id));
  });
}

/**
 * The shortest cycle through the component found by breadth-first search from its first members
 * (in sorted order), rotated to start at its smallest event so the output is stable.
 */
function shortestCycle(topology: Topology, members: string[]): string[] {
  const inComponent = new Set(members);
  let best: string[] | undefined;
  let steps = 0;
  for (const start of members.slice(0, MAX_SEARCH_STARTS)) {
    if (topology.flows(start, start).length > 0) return [start];
    const previous = new Map<string, string>();
    let frontier = [start];
    let found = false;
    while (frontier.length > 0 && !found && steps < MAX_SEARCH_STEPS) {
      const next: string[] = [];
      for (const node of frontier) {
        for (const successor of successorsOf(topology, node)) {
          steps++;
          if (!inComponent.has(successor)) continue;
          if (successor === start) {
            const cycle = [node];
            for (let current = node; current !== start; ) {
              current = previous.get(current)!;
              cycle.unshift(current);
            }
            if (!best || cycle.length < best.length) best = cycle;
            found = true;
            break;
          }
          if (previous.has(successor)) continue;
          previous.set(successor, node);
          next.push(successor);
        }
        if (found) break;
      }
      frontier = next;
    }
    if (best?.length === 2 || steps >= MAX_SEARCH_STEPS) break;
  }
  const cycle = best ?? members;
  const smallest = cycle.indexOf([...cycle].sort()[0]!);
  return [...cycle.slice(smallest), ...cycle.slice(0, smallest)];
}

function successorsOf(topology: Topology, node: string): string[] {
  return [...(topology.flowGraph.successors(node) ?? [])].sort();
}

function hopLocations(topology: Topology, hop: FlowEdge): RelatedLocation[] {
  const subscribe = topology.declaration(hop.subscribe);
  const publish = topology.declaration(hop.publish);
  const via = hop.via.length > 0 ? ` via ${hop.via.map(localFunctionName).join(' → ')}` : '';
  const locations: RelatedLocation[] = [];
  if (subscribe) locations.push(related(subscribe, `${eventName(topology, hop.from)} is handled by ${handlerLabel(topology, hop.handler)}`));
  if (publish) locations.push(related(publish, `which publishes ${eventName(topology, hop.to)}${via}`));
  return locations;
}
