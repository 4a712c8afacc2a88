import type { RelatedLocation } from '../../model/result.js';
import { DEFAULT_FAILURE_PATTERNS, failureEventMatcher } from '../../util/failure-events.js';
import { eventName, locationOf, related } from '../describe.js';
import type { Rule } from '../types.js';
import { MAX_COUNTED_FAILURES, missingCompensations } from './compensation-search.js';

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
        failurePatterns: { type: 'array', items: { type: 'string', minLength: 1, format: 'regex' } },
        failureEvents: { type: 'array', items: { type: 'string', minLength: 1 } },
        compensations: { type: 'object', additionalProperties: { type: 'string', minLength: 1 } },
        noCompensation: { type: 'array', items: { type: 'string', minLength: 1 } },
      },
    },
    defaultOptions: { failurePatterns: DEFAULT_FAILURE_PATTERNS, failureEvents: [], compensations: {}, noCompensation: [] },
  },
  create(context) {
    const search = {
      isFailure: failureEventMatcher({ patterns: context.options.failurePatterns, events: context.options.failureEvents }),
      exempt: new Set(context.options.noCompensation),
      compensations: context.options.compensations,
    };
    return {
      topology(topology) {
        const name = (id: string) => eventName(topology, id);
        for (const { step, failures, failureEvents } of missingCompensations(topology, search)) {
          const required = context.options.compensations[name(step.event)];
          const unlisted = failureEvents.size - failures.length;
          const failureList = failures.map(({ failure }) => {
            const site = topology.declaration(failure.publish);
            const by = topology.handler(failure.handler)?.service ?? '?';
            return `${name(failure.to)} (${by}${site ? `, ${site.repository ? `${site.repository}:` : ''}${site.file}:${site.line}` : ''})`;
          });
          if (unlisted > 0) failureList.push(`${unlisted}${failureEvents.size >= MAX_COUNTED_FAILURES ? '+' : ''} more failure${unlisted === 1 ? '' : 's'}`);
          const several = failureEvents.size > 1;
          const remedy = required
            ? `${required}, its compensation, does not follow from ${several ? 'them' : 'it'}`
            : `${step.service} never reacts to ${several ? 'them' : 'it'} or to what ${several ? 'they cause' : 'it causes'}: no compensation path`;
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
            data: {
              service: step.service,
              event: step.event,
              failures: failures.map(({ failure }) => failure.to),
              ...(unlisted > 0 ? { failureCount: failureEvents.size } : {}),
              ...(required ? { compensation: required } : {}),
            },
          });
        }
      },
    };
  },
};
