import { describe, expect, it } from 'vitest';
import { findingsOf, type HandlerSpec } from './topology-builder.js';

const saga: HandlerSpec[] = [
  ['order', 'place', null, ['order.placed']],
  ['payment', 'charge', 'order.placed', ['payment.completed', 'payment.failed']],
  ['shipping', 'ship', 'payment.completed', ['shipment.created']],
];

const compensations = (repositories: Record<string, string> = {}) => findingsOf(saga, { 'missing-compensation': 'warn' }, ['shipment.created', 'payment.failed'], repositories);

describe('missing-compensation', () => {
  it('names the failure and where it is published', () => {
    const [finding, ...more] = compensations();
    expect(more).toEqual([]);
    expect(finding).toMatchObject({
      ruleId: 'missing-compensation',
      message: 'order publishes order.placed before payment.failed (payment, payment/handlers.ts:22) can occur; order never reacts to it or to what it causes: no compensation path',
      location: { file: 'order/handlers.ts', line: 11 },
    });
  });

  it('names the repository of a failure published in another one (merged with --with)', () => {
    const [finding] = compensations({ payment: 'payments-repo' });
    expect(finding!.message).toBe(
      'order publishes order.placed before payment.failed (payment, payments-repo:payment/handlers.ts:22) can occur; order never reacts to it or to what it causes: no compensation path',
    );
    expect(finding!.related).toContainEqual(expect.objectContaining({ file: 'payment/handlers.ts', line: 22, repository: 'payments-repo' }));
  });
});
