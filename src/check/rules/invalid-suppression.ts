import type { Rule } from '../types.js';

/**
 * Reported by the runner, after every other rule ran: a suppression is only known to be unused
 * once all findings are in. This module carries the rule's meta (severity, docs).
 */
export const invalidSuppression: Rule<Record<string, never>> = {
  meta: {
    id: 'invalid-suppression',
    description: 'A choreolint-disable-next-line comment that suppresses nothing, names an unknown rule, or gives no reason.',
    defaultSeverity: 'warn',
    docs: 'docs/rules/invalid-suppression.md',
    schema: { type: 'object', additionalProperties: false, properties: {} },
    defaultOptions: {},
  },
  create() {
    return {};
  },
};
