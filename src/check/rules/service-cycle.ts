import { stronglyConnectedComponents } from '../../graph/scc.js';
import type { Topology } from '../../graph/topology.js';
import type { RelatedLocation } from '../../model/result.js';
import { eventName, locationOf, related } from '../describe.js';
import type { Rule } from '../types.js';

export interface ServiceCycleOptions {
  allow: Array<{ services: string[]; reason: string }>;
}

export const serviceCycle: Rule<ServiceCycleOptions> = {
  meta: {
    id: 'service-cycle',
    description: 'Services that depend on each other through events: a cycle in the service graph.',
    defaultSeverity: 'warn',
    docs: 'docs/rules/service-cycle.md',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allow: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['services', 'reason'],
            properties: {
              services: { type: 'array', minItems: 2, items: { type: 'string', minLength: 1 } },
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
        const graph = topology.serviceGraph;
        for (const members of stronglyConnectedComponents(graph.nodes(), (node) => graph.successors(node) ?? [])) {
          if (members.length < 2) continue;
          if (context.options.allow.some((entry) => members.every((service) => entry.services.includes(service)))) continue;
          const cycle = shortestServiceCycle(topology, members);
          const edges = cycle.map((from, index) => ({ from, to: cycle[(index + 1) % cycle.length]!, events: topology.serviceEdgeEvents(from, cycle[(index + 1) % cycle.length]!) }));
          const path = edges.map((edge) => `${edge.from} →(${edge.events.map((id) => eventName(topology, id)).join(', ')})`).join(' ');
          const locations = edges.flatMap((edge) => edgeLocations(topology, edge.from, edge.to, edge.events));
          const wider = members.length > cycle.length ? `; ${members.length} services are in this cycle` : '';
          context.report({
            message: `Service cycle: ${path} ${cycle[0]}${wider}`,
            location: locationOf(locations[0]!),
            related: locations,
            identity: members,
            data: { services: members, cycle, edges },
          });
        }
      },
    };
  },
};

/** Bounds the search for an example cycle, as event-cycle does: a component of 10,000 services costs linear time. */
const MAX_SEARCH_STARTS = 64;
const MAX_SEARCH_STEPS = 200_000;

function shortestServiceCycle(topology: Topology, members: string[]): string[] {
  const inComponent = new Set(members);
  let best: string[] | undefined;
  let steps = 0;
  for (const start of members.slice(0, MAX_SEARCH_STARTS)) {
    const previous = new Map<string, string>();
    const queue = [start];
    let found: string[] | undefined;
    for (let head = 0; head < queue.length && !found && steps < MAX_SEARCH_STEPS; head++) {
      const node = queue[head]!;
      for (const next of [...(topology.serviceGraph.successors(node) ?? [])].sort()) {
        steps++;
        if (!inComponent.has(next)) continue;
        if (next === start) {
          found = [node];
          for (let current = node; current !== start; ) {
            current = previous.get(current)!;
            found.unshift(current);
          }
          break;
        }
        if (!previous.has(next)) {
          previous.set(next, node);
          queue.push(next);
        }
      }
    }
    if (found && (!best || found.length < best.length)) best = found;
    if (best?.length === 2 || steps >= MAX_SEARCH_STEPS) break;
  }
  return best ?? members;
}

/** Where `from` publishes the events of the edge, and where `to` subscribes to them. */
function edgeLocations(topology: Topology, from: string, to: string, events: string[]): RelatedLocation[] {
  const locations: RelatedLocation[] = [];
  for (const id of events) {
    const name = eventName(topology, id);
    const publish = topology.producersOf(id).find((declaration) => declaration.service === from);
    const subscribe = topology
      .event(id)
      ?.subscribers.map((declarationId) => topology.declaration(declarationId))
      .find((declaration) => declaration?.service === to);
    if (publish) locations.push(related(publish, `${from} publishes ${name}`));
    if (subscribe) locations.push(related(subscribe, `${to} consumes ${name}`));
  }
  return locations;
}
