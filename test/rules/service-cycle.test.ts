import { describe, expect, it } from 'vitest';
import { findingsOf, type HandlerSpec } from './topology-builder.js';

const serviceCycles = (specs: HandlerSpec[], options?: Record<string, unknown>) => findingsOf(specs, { 'service-cycle': options ? ['warn', options] : 'warn' });

describe('service-cycle', () => {
  it('valid: services in a line', () => {
    expect(serviceCycles([['payment', 'h1', 'order.placed', ['payment.done']], ['shipping', 'h2', 'payment.done', []], ['order', 'api', null, ['order.placed']]])).toEqual([]);
  });

  it('invalid: two services that consume each other’s events, though no event loops', () => {
    const findings = serviceCycles([
      ['order', 'placeOrder', null, ['order.placed']],
      ['payment', 'charge', 'order.placed', ['payment.completed']],
      ['order', 'confirm', 'payment.completed', ['order.confirmed']],
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'service-cycle',
      severity: 'warn',
      message: 'Service cycle: order →(order.placed) payment →(payment.completed) order',
      location: { file: 'order/handlers.ts', line: 11, column: 1 },
      data: { services: ['order', 'payment'], cycle: ['order', 'payment'] },
    });
    expect(findings[0]!.related.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual([
      'order/handlers.ts:11 order publishes order.placed',
      'payment/handlers.ts:20 payment consumes order.placed',
      'payment/handlers.ts:21 payment publishes payment.completed',
      'order/handlers.ts:30 order consumes payment.completed',
    ]);
  });

  it('one finding per strongly connected set of services, with the shortest loop', () => {
    const findings = serviceCycles([
      ['a', 'h1', 'x', ['y']],
      ['b', 'h2', 'y', ['z']],
      ['c', 'h3', 'z', ['x', 'w']],
      ['a', 'h4', 'w', ['v']],
      ['c', 'h5', 'v', []],
    ]);
    expect(findings.map((f) => f.message)).toEqual(['Service cycle: a →(v) c →(w, x) a; 3 services are in this cycle']);
  });

  it('allows a listed set of services, with a reason', () => {
    const specs: HandlerSpec[] = [['a', 'h1', 'x', ['y']], ['b', 'h2', 'y', ['x']]];
    expect(serviceCycles(specs, { allow: [{ services: ['a', 'b'], reason: 'request and response over events' }] })).toEqual([]);
  });
});
