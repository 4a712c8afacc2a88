import { describe, expect, it } from 'vitest';
import { findingsOf, type HandlerSpec } from './topology-builder.js';

const consumers = (count: number): HandlerSpec[] => [
  ['order', 'api', null, ['order.placed']],
  ...Array.from({ length: count }, (_, i): HandlerSpec => [`service${i + 1}`, `on${i + 1}`, 'order.placed', []]),
];

describe('fan-out', () => {
  it('valid: up to max consumers', () => {
    expect(findingsOf(consumers(10), { 'fan-out': 'warn' })).toEqual([]);
    expect(findingsOf(consumers(3), { 'fan-out': ['warn', { max: 3 }] })).toEqual([]);
  });

  it('invalid: more than max consumers, listed', () => {
    const findings = findingsOf(consumers(3), { 'fan-out': ['warn', { max: 2 }] });
    expect(findings.map((f) => [f.message, `${f.location.file}:${f.location.line}`, f.related.length])).toEqual([
      ['order.placed has 3 consumers (more than 2): on1 (service1), on2 (service2), on3 (service3)', 'order/handlers.ts:11', 3],
    ]);
  });
});
