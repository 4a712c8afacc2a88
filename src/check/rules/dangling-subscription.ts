import { RPC_TRANSPORT } from '../../graph/topology.js';
import type { Declaration } from '../../model/result.js';
import { handlerLabel, locationOf, related } from '../describe.js';
import { wildcardMatcher } from '../../util/regexp.js';
import type { Rule } from '../types.js';

export const danglingSubscription: Rule<Record<string, never>> = {
  meta: {
    id: 'dangling-subscription',
    description: 'A subscription to an event that nothing publishes, and that is not declared external.',
    defaultSeverity: 'warn',
    docs: 'docs/rules/dangling-subscription.md',
    schema: { type: 'object', additionalProperties: false, properties: {} },
    defaultOptions: {},
  },
  create(context) {
    return {
      topology(topology) {
        const dynamicPublishes = topology.input.declarations.filter((d) => d.kind === 'publish' && d.dynamic && d.event !== '*');
        const mayBePublished = wildcardMatcher(dynamicPublishes.map((d) => d.event));
        const byEvent = new Map<string, Declaration[]>();
        for (const declaration of topology.input.declarations) {
          if (declaration.kind !== 'subscribe' || declaration.dynamic || declaration.transport === RPC_TRANSPORT) continue;
          if (context.settings.isExternal(declaration.event) || mayBePublished(declaration.event)) continue;
          const reached = topology.eventsOfSubscription(declaration.id).some((id) => topology.producersOf(id).length > 0);
          if (reached) continue;
          const key = `${declaration.match ?? ''}\0${declaration.transport === 'in-process' ? declaration.service : ''}\0${declaration.event}`;
          byEvent.set(key, [...(byEvent.get(key) ?? []), declaration]);
        }
        for (const [key, declarations] of byEvent) {
          const [first, ...others] = declarations;
          if (!first) continue;
          const what = first.match ? `pattern ${first.event} (${first.match}) matches no published event` : `${first.event} is consumed but nothing in the topology publishes it`;
          const by = first.handler ? handlerLabel(topology, first.handler) : first.service;
          context.report({
            message: `${what}; subscribed by ${by}`,
            location: locationOf(first),
            related: others.map((declaration) => related(declaration, `also subscribed by ${declaration.handler ? handlerLabel(topology, declaration.handler) : declaration.service}`)),
            identity: [key],
            data: { event: first.event, ...(first.match ? { match: first.match } : {}) },
          });
        }
      },
    };
  },
};
