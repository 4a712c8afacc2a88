import { wildcardMatcher } from './regexp.js';

/**
 * Failure events by name, in any case style: `PaymentFailed`, `payment.failed`, `PAYMENT_FAILED`,
 * `inventory-reservation-failed`, `OutOfStock`, `InsufficientFunds`. Names are split into
 * lower-case words first, so the patterns match words, not substrings.
 */
export const DEFAULT_FAILURE_PATTERNS = [
  '\\bfail(ed|ure|s)?\\b',
  '\\breject(ed|ion)?\\b',
  '\\bdeclined\\b',
  '\\bcancell?ed\\b',
  '\\bexpired\\b',
  '\\btimed ?out\\b',
  '\\btime ?out\\b',
  '\\bout ?of ?stock\\b',
  '\\binsufficient\\w*',
  '\\berror(ed|s)?\\b',
];

/** What counts as a failure event: names matching a pattern (by words), and names listed (`*` globs). */
export interface FailureEvents {
  patterns: readonly string[];
  events: readonly string[];
}

/** Failure events as missing-compensation has them by default. */
export const DEFAULT_FAILURE_EVENTS: FailureEvents = { patterns: DEFAULT_FAILURE_PATTERNS, events: [] };

export function failureEventMatcher(failures: FailureEvents): (name: string) => boolean {
  const byPattern = failureMatcher(failures.patterns);
  const listed = wildcardMatcher(failures.events);
  return (name) => byPattern(name) || listed(name);
}

/** Compensating events, by the same word-based matching. */
export const COMPENSATION_PATTERN = /\b(refund(ed)?|release(d)?|revert(ed)?|rollback|rolled back|compensat\w*|undo(ne)?|void(ed)?|restock(ed)?|reimburse(d)?|cancel(led)?)\b/;

export function nameWords(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .toLowerCase();
}

export function failureMatcher(patterns: readonly string[]): (name: string) => boolean {
  const regexes = patterns.map((pattern) => new RegExp(pattern, 'i'));
  return (name) => {
    const words = nameWords(name);
    return regexes.some((regex) => regex.test(words));
  };
}
