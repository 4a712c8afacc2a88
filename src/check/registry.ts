import { danglingSubscription } from './rules/dangling-subscription.js';
import { eventCycle } from './rules/event-cycle.js';
import { fanOut } from './rules/fan-out.js';
import { invalidSuppression } from './rules/invalid-suppression.js';
import { linearChain } from './rules/linear-chain.js';
import { missingCompensation } from './rules/missing-compensation.js';
import { nonIdempotentHandler } from './rules/non-idempotent-handler.js';
import { orphanEvent } from './rules/orphan-event.js';
import { serviceCycle } from './rules/service-cycle.js';
import { specDrift } from './rules/spec-drift.js';
import { unresolvedEventName } from './rules/unresolved-event-name.js';
import type { AnyRule } from './types.js';

/** Every rule. A rule here needs a doc page at its meta.docs (the docs test checks it). */
export const RULES: readonly AnyRule[] = [eventCycle, missingCompensation, nonIdempotentHandler, serviceCycle, linearChain, orphanEvent, danglingSubscription, fanOut, unresolvedEventName, specDrift, invalidSuppression];

export function findRule(id: string): AnyRule | undefined {
  return RULES.find((rule) => rule.meta.id === id);
}
