import { describe, expect, it } from 'vitest';
import { findingsOf, type HandlerSpec } from './topology-builder.js';

const dangling = (specs: HandlerSpec[], external: string[] = []) => findingsOf(specs, { 'dangling-subscription': 'warn' }, external);

describe('dangling-subscription', () => {
  it('invalid: consumed, never published', () => {
    const findings = dangling([['billing', 'onRefund', 'payment.refunded', []]]);
    expect(findings.map((f) => [f.message, `${f.location.file}:${f.location.line}`])).toEqual([
      ['payment.refunded is consumed but nothing in the topology publishes it; subscribed by onRefund (billing)', 'billing/handlers.ts:10'],
    ]);
  });

  it('valid: published, or declared external', () => {
    expect(dangling([['order', 'api', null, ['order.placed']], ['billing', 'h', 'order.placed', []]])).toEqual([]);
    expect(dangling([['billing', 'onStripe', 'stripe.charge.succeeded', []]], ['stripe.*'])).toEqual([]);
  });
});
