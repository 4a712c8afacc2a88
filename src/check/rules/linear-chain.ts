import type { FlowEdge, Topology } from '../../graph/topology.js';
import { eventName, handlerLabel, locationOf, related } from '../describe.js';
import type { Rule } from '../types.js';

export interface LinearChainOptions {
  minLength: number;
}

/**
 * An event is a link of a chain when exactly one handler consumes it and, for it, that handler
 * publishes exactly one event.
 */
function linkOf(topology: Topology, eventId: string): FlowEdge | undefined {
  const consumers = topology.consumersOf(eventId);
  if (consumers.length !== 1) return undefined;
  const flows = topology.flows(eventId).filter((flow) => flow.handler === consumers[0]);
  const targets = new Set(flows.map((flow) => flow.to));
  return targets.size === 1 && flows[0]!.to !== eventId ? flows[0] : undefined;
}

export const linearChain: Rule<LinearChainOptions> = {
  meta: {
    id: 'linear-chain',
    description:
      'A path of events where each one has a single producer and a single consumer that publishes a single event: a distributed call chain in disguise.',
    defaultSeverity: 'warn',
    docs: 'docs/rules/linear-chain.md',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: { minLength: { type: 'integer', minimum: 2 } },
    },
    defaultOptions: { minLength: 3 },
  },
  create(context) {
    return {
      topology(topology) {
        const links = new Map<string, FlowEdge>();
        for (const event of topology.events()) {
          const link = linkOf(topology, event.id);
          if (link) links.set(event.id, link);
        }
        /** An event continues a chain when it has one producer and is itself a link. */
        const continues = (eventId: string) => links.has(eventId) && topology.producersOf(eventId).length === 1;
        /** Events inside a chain: a link leads to them and they continue it, so no chain starts there. */
        const inner = new Set<string>();
        for (const link of links.values()) if (continues(link.to)) inner.add(link.to);

        for (const [start, first] of links) {
          if (inner.has(start)) continue;
          const hops: FlowEdge[] = [first];
          const visited = new Set([start]);
          while (continues(hops.at(-1)!.to) && !visited.has(hops.at(-1)!.to)) {
            visited.add(hops.at(-1)!.to);
            hops.push(links.get(hops.at(-1)!.to)!);
          }
          if (hops.length < context.options.minLength) continue;
          const events = [start, ...hops.map((hop) => hop.to)];
          const services = hops.map((hop) => topology.handler(hop.handler)?.service ?? '?');
          const firstSubscribe = topology.declaration(first.subscribe)!;
          context.report({
            message: `Linear chain of ${hops.length} hops: ${events.map((id) => eventName(topology, id)).join(' → ')} (through ${services.join(' → ')}); each step has one consumer that publishes one event, a call chain in disguise: consider orchestrating it`,
            location: locationOf(firstSubscribe),
            related: hops.flatMap((hop) => {
              const subscribe = topology.declaration(hop.subscribe);
              const publish = topology.declaration(hop.publish);
              return [
                ...(subscribe ? [related(subscribe, `${eventName(topology, hop.from)} is handled by ${handlerLabel(topology, hop.handler)}`)] : []),
                ...(publish ? [related(publish, `which publishes ${eventName(topology, hop.to)}`)] : []),
              ];
            }),
            identity: events,
            data: { events, handlers: hops.map((hop) => hop.handler) },
          });
        }
      },
    };
  },
};
