import { describe, expect, it } from 'vitest';
import { findingsOf, type HandlerSpec } from './topology-builder.js';

const orphans = (specs: HandlerSpec[], external: string[] = []) => findingsOf(specs, { 'orphan-event': 'warn' }, external);

describe('orphan-event', () => {
  it('invalid: published, never consumed, reported at the first publish with the others related', () => {
    const findings = orphans([['order', 'api', null, ['order.placed']], ['order', 'batch', null, ['order.placed']], ['billing', 'h', 'x', []]]);
    expect(findings.map((f) => [f.message, `${f.location.file}:${f.location.line}`, f.related.map((r) => `${r.file}:${r.line} ${r.message}`)])).toEqual([
      ['order.placed is published by api (order) but nothing in the topology consumes it', 'order/handlers.ts:11', ['order/handlers.ts:21 also published by batch (order)']],
    ]);
  });

  it('valid: consumed, or declared external (with wildcards)', () => {
    expect(orphans([['order', 'api', null, ['order.placed']], ['billing', 'h', 'order.placed', []]])).toEqual([]);
    expect(orphans([['order', 'api', null, ['analytics.order-placed']]], ['analytics.*'])).toEqual([]);
  });
});
