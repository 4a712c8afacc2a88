import type { HandlerEffect, RelatedLocation } from '../../model/result.js';
import { handlerLabel, localFunctionName, locationOf, related } from '../describe.js';
import type { Rule } from '../types.js';

export interface NonIdempotentHandlerOptions {
  /** Transports that deliver at most once: their handlers are never redelivered a message. */
  atMostOnce: string[];
  /** More names for the effect and guard vocabulary (see the rule's docs); read by extract. */
  vocabulary: Record<string, string[]>;
}

const EFFECT_WORDS: Record<HandlerEffect['kind'] | 'publish', string> = {
  'db-write': 'writes to the database',
  http: 'calls another system over HTTP',
  payment: 'moves money',
  email: 'sends an e-mail',
  sms: 'sends a text message',
  'queue-job': 'queues a job',
  counter: 'updates a counter or balance',
  publish: 'publishes',
};

const FIXES: Record<HandlerEffect['kind'] | 'publish', string> = {
  'db-write': 'an upsert or ON CONFLICT DO NOTHING keyed by the message id, or a conditional update on the record’s state or version',
  http: 'an idempotency key derived from the message id on the request',
  payment: 'an idempotency key derived from the message id on the charge',
  email: 'a processed-message check (an inbox keyed by the message id) before sending',
  sms: 'a processed-message check (an inbox keyed by the message id) before sending',
  'queue-job': 'a deterministic jobId derived from the message id',
  counter: 'a conditional update, or a processed-message check before counting',
  publish: 'a processed-message check before publishing, or a deterministic message key downstream consumers deduplicate on',
};

export const nonIdempotentHandler: Rule<NonIdempotentHandlerOptions> = {
  meta: {
    id: 'non-idempotent-handler',
    description: 'A handler with side effects and no evidence of an idempotency guard, under at-least-once delivery.',
    defaultSeverity: 'warn',
    docs: 'docs/rules/non-idempotent-handler.md',
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        atMostOnce: { type: 'array', items: { type: 'string', minLength: 1 } },
        vocabulary: {
          type: 'object',
          additionalProperties: false,
          properties: Object.fromEntries(
            ['writes', 'upserts', 'payments', 'emails', 'sms', 'helpers', 'lookups', 'keys'].map((key) => [key, { type: 'array', items: { type: 'string', minLength: 1 } }]),
          ),
        },
      },
    },
    defaultOptions: { atMostOnce: ['in-process', 'redis', 'rpc'], vocabulary: {} },
  },
  create(context) {
    return {
      topology(topology) {
        for (const handler of topology.handlers()) {
          if (handler.unresolved || handler.guards?.length) continue;
          const transports = handler.subscribes.map((id) => topology.declaration(id)?.transport ?? '');
          if (transports.every((transport) => context.options.atMostOnce.includes(transport))) continue;
          const effects: Array<{ kind: HandlerEffect['kind'] | 'publish'; site: RelatedLocation }> = [
            ...(handler.effects ?? []).map((effect) => ({
              kind: effect.kind,
              site: related(effect, `${EFFECT_WORDS[effect.kind]}: ${effect.text}${via(effect.via)}`),
            })),
            ...handler.triggers.flatMap((trigger) => {
              const publish = topology.declaration(trigger.declaration);
              return publish ? [{ kind: 'publish' as const, site: related(publish, `publishes ${trigger.event}${via(trigger.via)}`) }] : [];
            }),
          ];
          if (effects.length === 0) continue;
          const kinds = [...new Set(effects.map((effect) => effect.kind))];
          const first = effects[0]!.site;
          const more = effects.length > 1 ? ` and ${effects.length - 1} more effect${effects.length > 2 ? 's' : ''}` : '';
          context.report({
            message: `${handlerLabel(topology, handler.id)} is not idempotent: under at-least-once delivery a redelivered message ${EFFECT_WORDS[effects[0]!.kind]} again (${first.repository ? `${first.repository}:` : ''}${first.file}:${first.line})${more}, with no guard; add ${FIXES[kinds[0]!]}`,
            location: locationOf(handler),
            related: effects.map((effect) => effect.site),
            identity: [handler.id.replace(/^[^#]*#/, ''), handler.service],
            data: { handler: handler.id, effects: kinds },
          });
        }
      },
    };
  },
};

function via(chain: readonly string[]): string {
  return chain.length > 0 ? ` (via ${chain.map(localFunctionName).join(' → ')})` : '';
}
