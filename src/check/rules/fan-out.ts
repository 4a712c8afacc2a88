import { eventName, handlerLabel, locationOf, related } from '../describe.js';
import type { Rule } from '../types.js';

export interface FanOutOptions {
  max: number;
}

export const fanOut: Rule<FanOutOptions> = {
  meta: {
    id: 'fan-out',
    description: 'An event with more consumers than the configured maximum.',
    defaultSeverity: 'warn',
    docs: 'docs/rules/fan-out.md',
    schema: { type: 'object', additionalProperties: false, properties: { max: { type: 'integer', minimum: 1 } } },
    defaultOptions: { max: 10 },
  },
  create(context) {
    return {
      topology(topology) {
        for (const event of topology.events()) {
          const consumers = topology.consumersOf(event.id);
          if (consumers.length <= context.options.max) continue;
          const subscribes = event.subscribers.map((id) => topology.declaration(id)!).filter(Boolean);
          const anchor = topology.producersOf(event.id)[0] ?? subscribes[0];
          if (!anchor) continue;
          context.report({
            message: `${eventName(topology, event.id)} has ${consumers.length} consumers (more than ${context.options.max}): ${consumers.map((id) => handlerLabel(topology, id)).join(', ')}`,
            location: locationOf(anchor),
            related: subscribes.map((declaration) => related(declaration, `consumed by ${declaration.handler ? handlerLabel(topology, declaration.handler) : declaration.service}`)),
            identity: [event.id],
            data: { event: event.id, consumers },
          });
        }
      },
    };
  },
};
