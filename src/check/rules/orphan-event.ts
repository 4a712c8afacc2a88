import { eventName, locationOf, publishedBy, related } from '../describe.js';
import { wildcardMatcher } from '../../util/regexp.js';
import { RPC_TRANSPORT } from '../../graph/topology.js';
import type { Rule } from '../types.js';

export const orphanEvent: Rule<Record<string, never>> = {
  meta: {
    id: 'orphan-event',
    description: 'An event that is published but never consumed, and not declared external.',
    defaultSeverity: 'warn',
    docs: 'docs/rules/orphan-event.md',
    schema: { type: 'object', additionalProperties: false, properties: {} },
    defaultOptions: {},
  },
  create(context) {
    return {
      topology(topology) {
        const dynamicSubscriptions = topology.input.declarations.filter((d) => d.kind === 'subscribe' && d.dynamic && d.event !== '*');
        const mayBeConsumed = wildcardMatcher(dynamicSubscriptions.map((d) => d.event));
        for (const event of topology.events()) {
          if (event.publishers.length === 0 || event.subscribers.length > 0) continue;
          if (event.transports.every((transport) => transport === RPC_TRANSPORT)) continue;
          if (context.settings.isExternal(event.name) || mayBeConsumed(event.name)) continue;
          const [first, ...others] = topology.producersOf(event.id);
          if (!first) continue;
          const scope = event.scope ? ` (in-process in ${event.scope})` : '';
          context.report({
            message: `${eventName(topology, event.id)}${scope} is published by ${publishedBy(first)} but nothing in the topology consumes it`,
            location: locationOf(first),
            related: others.map((declaration) => related(declaration, `also published by ${publishedBy(declaration)}`)),
            identity: [event.id],
            data: { event: event.id },
          });
        }
      },
    };
  },
};
