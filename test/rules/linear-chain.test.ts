import { describe, expect, it } from 'vitest';
import { findingsOf, type HandlerSpec } from './topology-builder.js';

const chains = (specs: HandlerSpec[], options?: Record<string, unknown>) => findingsOf(specs, { 'linear-chain': options ? ['warn', options] : 'warn' });

const chainOfFour: HandlerSpec[] = [
  ['order', 'api', null, ['order.placed']],
  ['payment', 'charge', 'order.placed', ['payment.completed']],
  ['inventory', 'reserve', 'payment.completed', ['stock.reserved']],
  ['shipping', 'ship', 'stock.reserved', ['shipment.created']],
  ['notification', 'notify', 'shipment.created', ['customer.notified']],
];

describe('linear-chain', () => {
  it('invalid: one finding for the maximal chain, at its first subscription', () => {
    const findings = chains(chainOfFour);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'linear-chain',
      message:
        'Linear chain of 4 hops: order.placed → payment.completed → stock.reserved → shipment.created → customer.notified (through payment → inventory → shipping → notification); each step has one consumer that publishes one event, a call chain in disguise: consider orchestrating it',
      location: { file: 'payment/handlers.ts', line: 20, column: 1 },
      data: { events: ['order.placed', 'payment.completed', 'stock.reserved', 'shipment.created', 'customer.notified'] },
    });
    expect(findings[0]!.related).toHaveLength(8);
  });

  it('valid: shorter than minLength', () => {
    expect(chains(chainOfFour.slice(0, 3))).toEqual([]);
    expect(chains(chainOfFour, { minLength: 5 })).toEqual([]);
  });

  it('valid: a second consumer (parallel reaction) breaks the chain into parts too short to report', () => {
    expect(chains([...chainOfFour, ['analytics', 'track', 'stock.reserved', []]])).toEqual([]);
  });

  it('valid: a handler that publishes two events is a decision, not a link', () => {
    const branching: HandlerSpec[] = chainOfFour.map((spec) => (spec[1] === 'reserve' ? ['inventory', 'reserve', 'payment.completed', ['stock.reserved', 'stock.short']] : spec));
    expect(chains(branching)).toEqual([]);
  });

  it('valid: a second producer of an intermediate event', () => {
    expect(chains([...chainOfFour, ['admin', 'manual', null, ['stock.reserved']]])).toEqual([]);
  });

  it('a ring of links is a cycle, not a chain', () => {
    expect(chains([['a', 'h1', 'x', ['y']], ['b', 'h2', 'y', ['z']], ['c', 'h3', 'z', ['x']]])).toEqual([]);
  });
});
