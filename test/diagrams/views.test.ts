import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { buildDiagram, diagramToDot, domainOf, folderOf, jsonGraph, mermaidGraph } from '../../src/report/diagram/index.js';
import { GRAPH_FORMATS } from '../../src/report/graph-formats.js';
import { renderMermaid } from '../../src/report/mermaid.js';
import { analyzeFixture } from '../helpers.js';
import { expectGolden, finding, mermaidFlowchartProblems, syntheticResult } from './helpers.js';

const VIEWS = ['events', 'services', 'flows'] as const;

describe('graph views of the fixtures, as golden files', async () => {
  const shop = await analyzeFixture('shop');
  const saga = await analyzeFixture('saga-order-flow');
  const mixed = await analyzeFixture('mixed-monorepo');

  it.each(VIEWS)('shop, %s view, Mermaid', (view) => {
    expectGolden(`shop.expected.${view}.mmd`, renderMermaid(shop, view));
  });

  it.each(VIEWS)('saga-order-flow, %s view, Mermaid', (view) => {
    expectGolden(`saga-order-flow.expected.${view}.mmd`, renderMermaid(saga, view));
  });

  it.each(VIEWS)('mixed-monorepo, %s view, Mermaid', (view) => {
    expectGolden(`mixed-monorepo.expected.${view}.mmd`, renderMermaid(mixed, view));
  });

  it('shop and saga-order-flow in DOT', () => {
    expectGolden('shop.expected.events.dot', diagramToDot(buildDiagram(shop, { view: 'events' })));
    expectGolden('saga-order-flow.expected.flows.dot', diagramToDot(buildDiagram(saga, { view: 'flows' })));
  });

  it('the diagram as JSON: nodes, edges, what each finding touches, the legend', () => {
    expectGolden('shop.expected.services.json', jsonGraph(shop, { view: 'services' }).text);
  });

  it('every flowchart line is a statement Mermaid parses, with escaped labels', () => {
    for (const result of [shop, saga, mixed]) {
      for (const view of VIEWS) {
        expect(mermaidFlowchartProblems(renderMermaid(result, view))).toEqual([]);
        expect(mermaidFlowchartProblems(renderMermaid(result, view, { collapse: ['folder', 'domain'] }))).toEqual([]);
      }
    }
  });

  it('labels escape what Mermaid and DOT would parse', () => {
    const result = syntheticResult({
      services: [{ name: 'a"svc', path: 'services/a' }, { name: 'b<svc>', path: 'services/b' }],
      events: [{ name: 'x#1;"y"', publishers: ['a"svc'], consumers: ['b<svc>'] }],
    });
    for (const view of VIEWS) {
      const text = renderMermaid(result, view);
      expect(mermaidFlowchartProblems(text)).toEqual([]);
      expect(text).toContain('x#35;1#59;#quot;y#quot;');
    }
    const dot = diagramToDot(buildDiagram(result, { view: 'events' }));
    expect(dot).toContain('label="x#1;\\"y\\""');
    expect(dot).toContain('label="a\\"svc"');
  });
});

describe('findings drawn on the diagram', async () => {
  const shop = await analyzeFixture('shop');

  it('the event cycle: its events, the services on it and the edges between them are red, with a legend', () => {
    const diagram = buildDiagram(shop, { view: 'events' });
    const classed = (name: string) => [
      ...diagram.nodes.filter((node) => node.classes.includes(name as never)).map((node) => node.id),
      ...diagram.edges.filter((edge) => edge.classes.includes(name as never)).map((edge) => edge.id),
    ];
    expect(classed('cycle')).toEqual([
      's_inventory_service',
      's_order_service',
      's_payment_service',
      'e_shop_inventory_reservation_failed',
      'e_shop_order_placed',
      'e_shop_payment_completed',
      'e_shop_inventory_reservation_failed--s_order_service',
      'e_shop_order_placed--s_payment_service',
      'e_shop_payment_completed--s_inventory_service',
      's_inventory_service--e_shop_inventory_reservation_failed',
      's_order_service--e_shop_order_placed',
      's_payment_service--e_shop_payment_completed',
    ]);
    expect(classed('orphan')).toEqual(['e_shop_order_confirmed', 'e_shop_payment_refunded']);
    expect(diagram.legend.map((entry) => entry.class)).toEqual(['cycle', 'service-cycle', 'orphan']);
    const cycle = diagram.findings.find((item) => item.ruleId === 'event-cycle')!;
    expect(cycle.mark).toBe('cycle');
    expect(cycle.nodes).toContain('e_shop_order_placed');
    expect(cycle.edges).toHaveLength(6);
  });

  it('in the services view, the cycle is the service edges between its handlers’ services', () => {
    const diagram = buildDiagram(shop, { view: 'services' });
    expect(diagram.edges.filter((edge) => edge.classes[0] === 'cycle').map((edge) => edge.id)).toEqual([
      's_inventory_service--s_order_service',
      's_order_service--s_payment_service',
      's_payment_service--s_inventory_service',
    ]);
    expect(diagram.edges.find((edge) => edge.id === 's_payment_service--s_order_service')!.classes).toEqual(['service-cycle']);
  });

  it('in the flows view, the cycle goes event → handler → event', () => {
    const text = renderMermaid(shop, 'flows');
    expect(text).toContain('  class h_inventory_service_InventoryConsumer_onPaymentCompleted,h_order_service_start_eachMessage_28,h_payment_service_bootstrap_eachMessage_17,e_shop_inventory_reservation_failed,e_shop_order_placed,e_shop_payment_completed,legend_cycle cycle');
    expect(text).toContain('  h_order_service_start_eachMessage_18 -.-> e_shop_order_confirmed');
  });

  it('linear chains are thick and orange, dangling subscriptions dimmed', async () => {
    const nats = await analyzeFixture('nats-services');
    const chain = nats.findings.find((item) => item.ruleId === 'linear-chain');
    expect(chain).toBeDefined();
    const text = renderMermaid(nats, 'flows');
    expect(text).toContain('legend_chain["linear chain (linear-chain)"]');
    expect(text).toMatch(/ ==> /);
    expect(text).toMatch(/linkStyle [\d,]+ stroke:#ef6c00,stroke-width:3px/);

    const result = syntheticResult({
      services: [{ name: 'a', path: 'services/a' }],
      events: [{ name: 'never.published', publishers: [], consumers: ['a'] }],
      findings: [finding('dangling-subscription', { event: 'never.published' })],
    });
    const diagram = buildDiagram(result, { view: 'events' });
    expect(diagram.nodes.find((node) => node.id === 'e_never_published')!.classes).toEqual(['dangling']);
    expect(renderMermaid(result, 'events')).toContain('  e_never_published -.-> s_a');
  });

  it('the same findings in every view and format: DOT carries ids and classes for the SVG and the page', () => {
    const dot = diagramToDot(buildDiagram(shop, { view: 'flows' }));
    expect(dot).toContain('"e_shop_order_placed" [id="e_shop_order_placed", class="event cycle service-cycle"');
    expect(dot).toMatch(/"h_order_service_start_eachMessage_28" -> "e_shop_order_placed" \[id="h_order_service_start_eachMessage_28--e_shop_order_placed", class="cycle service-cycle", color="#d62728"/);
    expect(dot).toContain('subgraph cluster_legend {');
  });
});

describe('focus, depth and collapse', async () => {
  const saga = await analyzeFixture('saga-order-flow');
  const shop = await analyzeFixture('shop');

  it('--focus keeps the neighbourhood within --depth hops, both ways, with the same ids', () => {
    const whole = buildDiagram(saga, { view: 'flows' });
    const depth1 = buildDiagram(saga, { view: 'flows', focus: 'PaymentDeclined', depth: 1 });
    expect(depth1.nodes.map((node) => node.id)).toEqual(['h_order_service_startOrderService_eachMessage_15', 'h_payment_service_PaymentsConsumer_start_eachMessage_17', 'e_PaymentDeclined']);
    expect(depth1.nodes.find((node) => node.id === 'e_PaymentDeclined')!.classes).toContain('focus');
    expect(depth1.comments).toEqual(['focus: PaymentDeclined, depth 1: 3 of 15 nodes']);
    for (const node of depth1.nodes) expect(whole.nodes.map((other) => other.id)).toContain(node.id);

    expect(buildDiagram(saga, { view: 'flows', focus: 'PaymentDeclined', depth: 0 }).nodes.map((node) => node.id)).toEqual(['e_PaymentDeclined']);
    const depth2 = buildDiagram(saga, { view: 'flows', focus: 'PaymentDeclined' });
    expect(depth2.nodes.map((node) => node.id)).toEqual([
      'h_order_service_startOrderService_eachMessage_15',
      'h_payment_service_PaymentsConsumer_start_eachMessage_17',
      'e_InventoryReservationFailed',
      'e_OrderCancelled',
      'e_OrderCompleted',
      'e_OrderPlaced',
      'e_PaymentCompleted',
      'e_PaymentDeclined',
      'e_PaymentRefunded',
      'e_ShipmentFailed',
      'e_ShipmentScheduled',
    ]);
  });

  it('--focus a service: in the services view its neighbours, in the events view its events', () => {
    const services = buildDiagram(saga, { view: 'services', focus: 'notification-service', depth: 1 });
    expect(services.nodes.map((node) => node.id)).toEqual(['s_notification_service', 's_order_service']);
    expect(services.edges.map((edge) => `${edge.id} ${edge.label.join(', ')}`)).toEqual(['s_order_service--s_notification_service OrderCancelled, OrderCompleted']);
    const events = buildDiagram(saga, { view: 'events', focus: 'shipping-service', depth: 1 });
    expect(events.nodes.map((node) => node.id)).toEqual(['s_shipping_service', 'e_ShipmentFailed', 'e_ShipmentScheduled', 'e_StockReserved']);
  });

  it('--focus an event in the services view: the services that publish or consume it', () => {
    const diagram = buildDiagram(saga, { view: 'services', focus: 'StockReserved', depth: 0 });
    expect(diagram.nodes.map((node) => node.id)).toEqual(['s_inventory_service', 's_shipping_service']);
    expect(diagram.edges.map((edge) => edge.id)).toEqual(['s_inventory_service--s_shipping_service']);
  });

  it('--collapse domain groups events by their first segment; single members stay themselves', () => {
    const diagram = buildDiagram(saga, { view: 'events', collapse: ['domain'] });
    expect(diagram.nodes.filter((node) => node.kind === 'domain').map((node) => `${node.id} ${node.label.join(' / ')} ${node.members!.join(',')}`)).toEqual([
      'gd_Order Order.* / 3 events event:OrderCancelled,event:OrderCompleted,event:OrderPlaced',
      'gd_Payment Payment.* / 3 events event:PaymentCompleted,event:PaymentDeclined,event:PaymentRefunded',
      'gd_Shipment Shipment.* / 2 events event:ShipmentFailed,event:ShipmentScheduled',
    ]);
    expect(diagram.nodes.filter((node) => node.kind === 'event').map((node) => node.id)).toEqual(['e_InventoryReservationFailed', 'e_StockReserved']);
    expect(diagram.comments).toEqual(['collapsed by domain: 8 events into 3 groups']);
    expect(diagram.edges.map((edge) => edge.id)).toContain('s_order_service--gd_Order');
  });

  it('--collapse folder groups services by folder; a group is dimmed only when all of it is', () => {
    const diagram = buildDiagram(shop, { view: 'services', collapse: ['folder'] });
    expect(diagram.nodes.map((node) => `${node.id}: ${node.label.join(' / ')}`)).toEqual(['gf_services: services/ / 3 services']);
    expect(diagram.edges.map((edge) => edge.id)).toEqual(['gf_services--gf_services']);
    expect(renderMermaid(shop, 'services', { collapse: ['folder'] })).toContain('+1 more');
    const domains = buildDiagram(shop, { view: 'events', collapse: ['domain'] });
    expect(domains.nodes.find((node) => node.id === 'gd_shop')!.classes).toEqual(['cycle', 'service-cycle']);
  });

  it('folders and domains', () => {
    expect(folderOf('services/inventory')).toBe('services');
    expect(folderOf('packages/billing/api')).toBe('packages/billing');
    expect(folderOf('src/payments/**')).toBe('src');
    expect(folderOf('.')).toBe('.');
    expect(folderOf(undefined)).toBe('.');
    expect(domainOf('shop.order.placed')).toBe('shop');
    expect(domainOf('billing/invoice.issued')).toBe('billing');
    expect(domainOf('OrderPlaced')).toBe('Order');
    expect(domainOf('PAYMENT_FAILED')).toBe('PAYMENT');
    expect(domainOf('inventory-reservation-failed')).toBe('inventory');
    expect(domainOf('orders')).toBe('orders');
  });
});

describe('stable, diff-friendly output', async () => {
  const saga = await analyzeFixture('saga-order-flow');
  const reversed = (result: Result): Result => ({
    ...result,
    services: [...result.services].reverse(),
    declarations: [...result.declarations].reverse(),
    handlers: [...result.handlers].reverse(),
    topology: { events: [...result.topology.events].reverse(), edges: [...result.topology.edges].reverse() },
  });

  it('does not depend on the order of the document’s arrays', async () => {
    for (const view of VIEWS) {
      for (const format of ['mermaid', 'dot', 'json']) {
        const options = { color: false, view };
        expect((await GRAPH_FORMATS[format]!(reversed(saga), options)).text).toBe((await GRAPH_FORMATS[format]!(saga, options)).text);
      }
    }
  });

  it('ids come from names: a new event adds lines, it renumbers nothing', () => {
    const before = syntheticResult({ services: [{ name: 'a', path: 'a' }, { name: 'b', path: 'b' }], events: [{ name: 'm.two', publishers: ['a'], consumers: ['b'] }] });
    const after = syntheticResult({
      services: [{ name: 'a', path: 'a' }, { name: 'b', path: 'b' }],
      events: [
        { name: 'm.one', publishers: ['a'], consumers: ['b'] },
        { name: 'm.two', publishers: ['a'], consumers: ['b'] },
      ],
    });
    const lines = (text: string) => new Set(text.split('\n'));
    const old = lines(renderMermaid(before, 'events'));
    const added = [...lines(renderMermaid(after, 'events'))].filter((line) => !old.has(line));
    expect(added).toEqual(['  e_m_one(["m.one"])', '  e_m_one --> s_b', '  s_a --> e_m_one']);
  });

  it('names that sanitize alike get numbered ids in sorted order', () => {
    const result = syntheticResult({ services: [{ name: 'a', path: 'a' }], events: [{ name: 'x.y', publishers: ['a'], consumers: [] }, { name: 'x-y', publishers: ['a'], consumers: [] }] });
    expect(buildDiagram(result, { view: 'events' }).nodes.map((node) => `${node.id} ${node.label[0]}`)).toEqual(['s_a a', 'e_x_y x-y', 'e_x_y_2 x.y']);
  });

  it('mermaidGraph has no notes when the diagram is within Mermaid’s limits', () => {
    expect(mermaidGraph(saga, { view: 'events' }).notes).toEqual([]);
  });
});
