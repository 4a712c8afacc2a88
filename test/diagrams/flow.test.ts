import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFlow, flowKind, FLOW_FORMATS, resolveFlowStart } from '../../src/report/flow/index.js';
import { MAX_FLOW_DEPTH } from '../../src/report/flow/build.js';
import { analyzeFixture, fixture, runCli } from '../helpers.js';
import { expectGolden, mermaidFlowchartProblems, syntheticResult, type SyntheticEvent } from './helpers.js';

const render = (format: string, result: Parameters<(typeof FLOW_FORMATS)['text']>[0], event: string) => FLOW_FORMATS[format]!(result, { color: false, event }).text;

describe('choreolint flow: the workflow that starts at an event', async () => {
  const saga = await analyzeFixture('saga-order-flow');
  const shop = await analyzeFixture('shop');

  it('saga-order-flow from OrderPlaced, as a text tree, a sequence diagram and a flowchart (golden files)', () => {
    expectGolden('saga-order-flow.expected.flow-OrderPlaced.txt', render('text', saga, 'OrderPlaced'));
    expectGolden('saga-order-flow.expected.flow-OrderPlaced.sequence.mmd', render('sequence', saga, 'OrderPlaced'));
    expectGolden('saga-order-flow.expected.flow-OrderPlaced.mmd', render('mermaid', saga, 'OrderPlaced'));
  });

  it('shop from shop.order.placed: the retry closes a cycle, marked and not followed', () => {
    const text = render('text', shop, 'shop.order.placed');
    expectGolden('shop.expected.flow-shop.order.placed.txt', text);
    expect(text).toContain('└── ↺ shop.order.placed (cycle)');
    expect(text.split('\n').at(-2)).toBe('8 events, 6 handlers in 3 services; 2 failure events, 2 compensation events; 1 cycle');
    expectGolden('shop.expected.flow-shop.order.placed.sequence.mmd', render('sequence', shop, 'shop.order.placed'));
  });

  it('names each handler with its service, and the branch a handler publishes in', () => {
    const text = render('text', saga, 'OrderPlaced');
    expect(text).toContain('└── payment-service: PaymentsConsumer.start/eachMessage@17');
    expect(text).toContain('├── PaymentCompleted (when OrderPlaced)');
    expect(text).toContain('↩ OrderCancelled [compensation] (unless ShipmentScheduled)');
    // PaymentsConsumer publishes PaymentRefunded only for OrderCancelled: not in the branch for OrderPlaced.
    expect(text.split('\n').filter((line) => line.includes('PaymentRefunded'))).toEqual([
      '    │       │                       └── ↩ PaymentRefunded [compensation] (when OrderCancelled) · nothing consumes it',
    ]);
  });

  it('failure and compensation branches: by name, compensation inside a failure branch', () => {
    const flow = buildFlow(saga, 'OrderPlaced');
    const declined = flow.start.handlers[0]!.publishes.find((event) => event.name === 'PaymentDeclined')!;
    expect(declined.kind).toBe('failure');
    expect(flowKind('PaymentDeclined', false)).toBe('failure');
    expect(flowKind('OrderCancelled', false)).toBe('failure');
    expect(flowKind('OrderCancelled', true)).toBe('compensation');
    expect(flowKind('PaymentRefunded', false)).toBe('compensation');
    expect(flowKind('inventory-reservation-failed', false)).toBe('failure');
    expect(flowKind('StockReserved', false)).toBe('normal');
    const sequence = render('sequence', saga, 'OrderPlaced');
    expect(sequence).toContain('  opt failure: PaymentDeclined\n');
    expect(sequence).toContain('    opt compensation: OrderCancelled\n');
  });

  it('is deterministic whatever the order of the document’s arrays', () => {
    const reversed = { ...saga, handlers: [...saga.handlers].reverse(), topology: { events: [...saga.topology.events].reverse(), edges: [...saga.topology.edges].reverse() } };
    for (const format of Object.keys(FLOW_FORMATS)) expect(render(format, reversed, 'OrderPlaced')).toBe(render(format, saga, 'OrderPlaced'));
  });

  it('the flowchart is a valid Mermaid flowchart, with the start, failures, compensations and the cycle edge', () => {
    const text = render('mermaid', shop, 'shop.order.placed');
    expect(mermaidFlowchartProblems(text)).toEqual([]);
    expect(text).toContain('  %% flow from shop.order.placed');
    expect(text).toContain('  class e_shop_order_placed,legend_start start');
    expect(text).toMatch(/linkStyle \d+ stroke:#d62728,stroke-width:3px/);
    expect(text).toContain('  h_order_service_start_eachMessage_28 --> e_shop_order_placed');
  });

  it('every cycle terminates: self-loops, ping-pong, and a long cycle with branches', () => {
    const services = [{ name: 'a', path: 'services/a' }, { name: 'b', path: 'services/b' }];
    const events: SyntheticEvent[] = [
      { name: 'self', publishers: ['a'], consumers: ['a'], then: ['self', 'ping'] },
      { name: 'ping', publishers: [], consumers: ['b'], then: ['pong'] },
      { name: 'pong', publishers: [], consumers: ['a'], then: ['ping', 'self'] },
    ];
    const result = syntheticResult({ services, events });
    const text = render('text', result, 'self');
    expect(text).toBe(
      [
        'self (published by a)',
        '└── a: onself',
        '    ├── ping',
        '    │   └── b: onping',
        '    │       └── pong',
        '    │           └── a: onpong',
        '    │               ├── ↺ ping (cycle)',
        '    │               └── ↺ self (cycle)',
        '    └── ↺ self (cycle)',
        '',
        '3 events, 3 handlers in 2 services; 0 failure events, 0 compensation events; 3 cycles',
        '',
      ].join('\n'),
    );
    for (const format of Object.keys(FLOW_FORMATS)) expect(render(format, result, 'ping').length).toBeGreaterThan(0);
    expect(render('sequence', result, 'self')).toContain('p_a->>p_a: ↺ self (cycle)');
  });

  it('a very deep flow stops expanding at MAX_FLOW_DEPTH events, without overflowing the stack', () => {
    const length = MAX_FLOW_DEPTH + 50;
    const events: SyntheticEvent[] = Array.from({ length }, (_, i) => ({ name: `step${i}`, publishers: i === 0 ? ['s'] : [], consumers: ['s'], then: [`step${i + 1}`] }));
    const result = syntheticResult({ services: [{ name: 's', path: 's' }], events });
    const text = render('text', result, 'step0');
    expect(text).toContain(`step${MAX_FLOW_DEPTH} … (not expanded: ${MAX_FLOW_DEPTH} events deep)`);
    expect(text).not.toContain(`step${MAX_FLOW_DEPTH + 1}`);
    for (const format of Object.keys(FLOW_FORMATS)) expect(render(format, result, 'step0').length).toBeGreaterThan(0);
  });

  it('resolves the start by id or name, and suggests near names', () => {
    expect(resolveFlowStart(saga, 'OrderPlaced')).toEqual({ events: ['OrderPlaced'], suggestions: [] });
    expect(resolveFlowStart(saga, 'OrderPlace').suggestions).toContain('OrderPlaced');
    expect(resolveFlowStart(saga, 'orderplaced').suggestions).toEqual(['OrderPlaced']);
  });
});

describe('choreolint flow on the command line', () => {
  it('prints the text tree by default, also when stdout is not a terminal', () => {
    const run = runCli(['flow', 'OrderPlaced', fixture('saga-order-flow')]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expectGolden('saga-order-flow.expected.flow-OrderPlaced.txt', run.stdout);
  });

  it('prints the sequence diagram with --format sequence', () => {
    const run = runCli(['flow', 'OrderPlaced', fixture('saga-order-flow'), '--format', 'sequence']);
    expect(run.status).toBe(0);
    expectGolden('saga-order-flow.expected.flow-OrderPlaced.sequence.mmd', run.stdout);
  });

  it('marks failures as missing-compensation is configured: its failure patterns and listed failure events', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'choreolint-flow-')), 'shop');
    try {
      cpSync(fixture('shop'), dir, { recursive: true });
      writeFileSync(
        path.join(dir, 'choreolint.yaml'),
        ['rules:', '  missing-compensation:', '    - warn', "    - failurePatterns: ['\\bfail(ed|ure)?\\b']", "      failureEvents: ['shop.inventory.reserved']", ''].join('\n'),
      );
      const run = runCli(['flow', 'shop.order.placed', dir]);
      expect(run.status).toBe(0);
      expect(run.stdout.split('\n')).toEqual([
        'shop.order.placed (published by order-service)',
        '└── payment-service: bootstrap/eachMessage@17',
        '    ├── shop.payment.completed',
        '    │   └── inventory-service: InventoryConsumer.onPaymentCompleted',
        '    │       ├── ✗ shop.inventory.reservation-failed [failure]',
        '    │       │   └── order-service: start/eachMessage@28',
        '    │       │       └── ↺ shop.order.placed (cycle)',
        '    │       └── ✗ shop.inventory.reserved [failure]',
        '    │           └── order-service: start/eachMessage@18',
        '    │               └── shop.order.confirmed · nothing consumes it',
        '    └── ✗ shop.payment.failed [failure]',
        '        └── order-service: start/eachMessage@39',
        '            └── ↩ shop.order.cancelled [compensation]',
        '                └── payment-service: bootstrap/eachMessage@28',
        '                    └── ↩ shop.payment.refunded [compensation] · nothing consumes it',
        '',
        '8 events, 6 handlers in 3 services; 3 failure events, 2 compensation events; 1 cycle',
        '',
      ]);
      // Without the config the same flow has the default failures (see the golden file above).
      expect(runCli(['flow', 'shop.order.placed', fixture('shop')]).stdout).toContain('2 failure events, 2 compensation events');
    } finally {
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });

  it('exits 2 for an event the topology does not have, with the nearest names', () => {
    const run = runCli(['flow', 'OrderPlace', fixture('saga-order-flow')]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('choreolint: no event named OrderPlace in the topology (did you mean "OrderPlaced"?)\n');
  });
});
