import { eventCycle } from './rules/event-cycle.js';
import type { AnyRule } from './types.js';

/** Every rule. A rule here needs a doc page at its meta.docs (the meta test checks it). */
export const RULES: readonly AnyRule[] = [eventCycle];

export function findRule(id: string): AnyRule | undefined {
  return RULES.find((rule) => rule.meta.id === id);
}
