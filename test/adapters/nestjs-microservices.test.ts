import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { analyzeFixture, expectFixtureOutput } from '../helpers.js';

const sites = (result: Result) => result.declarations.map((d) => `${d.kind} ${d.event} ${d.transport} ${d.file}:${d.line}`);
const flows = (result: Result) => result.topology.edges.filter((edge) => edge.kind === 'flow').map((edge) => `${edge.from} → ${edge.to}`);

describe('fixture nestjs-microservices-patterns: every way of writing an @EventPattern / @MessagePattern', async () => {
  const result = await analyzeFixture('nestjs-microservices-patterns');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('nestjs-microservices-patterns', result);
  });

  it('subscribes each decorated method to its pattern, resolved through constants, enums, templates and env fallbacks', () => {
    const controller = 'src/orders/orders.controller.ts';
    expect(result.declarations.map((d) => `${d.kind} ${d.event} ${d.transport} ${d.resolution} ${d.file}:${d.line} → ${d.handler}`)).toEqual([
      `subscribe order_created nestjs imported-constant ${controller}:15 → ${controller}#OrdersController.handleOrderCreated`,
      `subscribe payment.captured nestjs imported-constant ${controller}:21 → ${controller}#OrdersController.handlePaymentCaptured`,
      `subscribe shipment.dispatched nestjs constant ${controller}:26 → ${controller}#OrdersController.handleShipmentDispatched`,
      `subscribe warehouse.eu.restocked nestjs template ${controller}:31 → ${controller}#OrdersController.handleRestocked`,
      `subscribe audit.recorded nestjs env-fallback ${controller}:36 → ${controller}#OrdersController.handleAudit`,
      `subscribe order_cancelled nestjs literal ${controller}:41 → ${controller}#OrdersController.handleOrderClosed`,
      `subscribe order_expired nestjs literal ${controller}:41 → ${controller}#OrdersController.handleOrderClosed`,
      `subscribe * nestjs dynamic ${controller}:46 → ${controller}#OrdersController.handleRefund`,
      `subscribe {"cmd":"get_order"} rpc literal ${controller}:51 → ${controller}#OrdersController.getOrder`,
      `subscribe {"cmd":"cancel_order","service":"orders"} rpc template ${controller}:56 → ${controller}#OrdersController.cancelOrder`,
      `subscribe orders.count rpc literal ${controller}:61 → ${controller}#OrdersController.countOrders`,
      `subscribe * rpc dynamic ${controller}:66 → ${controller}#OrdersController.reserveStock`,
    ]);
  });

  it('names object patterns the way NestJS routes them: JSON with sorted keys', () => {
    const rpc = result.declarations.filter((d) => d.transport === 'rpc' && !d.dynamic).map((d) => d.event);
    expect(rpc).toEqual(['{"cmd":"get_order"}', '{"cmd":"cancel_order","service":"orders"}', 'orders.count']);
  });

  it('keeps names it cannot resolve as dynamic declarations instead of dropping them', () => {
    expect(result.declarations.filter((d) => d.dynamic).map((d) => d.expression)).toEqual(["topicFor('refunds')", 'RESERVE_STOCK']);
  });
});

describe('fixture nestjs-microservices-clients: emit and send on injected ClientProxy subclasses', async () => {
  const result = await analyzeFixture('nestjs-microservices-clients');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('nestjs-microservices-clients', result);
  });

  it('publishes emit() as events and send() as request/reply, on every kind of client field', () => {
    expect(sites(result)).toEqual([
      'publish customers.registered nestjs src/customers/customers.service.ts:14',
      'publish customers.deleted nestjs src/customers/customers.service.ts:18',
      'publish {"cmd":"credit_limit","customer":"retail"} rpc src/orders/orders.service.ts:20',
      'publish order_created nestjs src/orders/orders.service.ts:21',
      'publish analytics.order-placed nestjs src/orders/orders.service.ts:22',
      'publish analytics.cart-abandoned nestjs src/orders/orders.service.ts:27',
      'publish payments.capture_requested nestjs src/payments/payments.gateway.ts:14',
      'publish fraud.screen rpc src/payments/payments.gateway.ts:18',
    ]);
  });

  it('lands the wrapper’s emit at each caller, with the caller’s subject', () => {
    const wrapped = result.declarations.filter((d) => d.wrapper);
    expect(wrapped.map((d) => `${d.event} in ${d.function} via ${d.wrapper}`)).toEqual([
      'customers.registered in src/customers/customers.service.ts#CustomersService.register via src/messaging/integration-events.ts#IntegrationEvents.publish',
      'customers.deleted in src/customers/customers.service.ts#CustomersService.remove via src/messaging/integration-events.ts#IntegrationEvents.publish',
    ]);
  });
});

describe('fixture nestjs-microservices-look-alikes: websockets, HTTP responses and an in-house bus do not count', async () => {
  const result = await analyzeFixture('nestjs-microservices-look-alikes');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('nestjs-microservices-look-alikes', result);
  });

  it('declares only the real @EventPattern', () => {
    expect(sites(result)).toEqual(['subscribe order_created nestjs src/events/notifications.controller.ts:10']);
  });

  it('ignores a socket.io emit, res.send, and the same names imported from the in-house bus', () => {
    const files = result.declarations.map((d) => d.file);
    expect(files).not.toContain('src/events/events.gateway.ts');
    expect(files).not.toContain('src/http/orders.controller.ts');
    expect(files).not.toContain('src/legacy/order-sync.ts');
    expect(result.declarations.some((d) => ['order_synced', 'order_lookup', 'order_refreshed'].includes(d.event))).toBe(false);
  });
});

describe('fixture nestjs-microservices-workspace: orders → billing → notifications over Kafka', async () => {
  const result = await analyzeFixture('nestjs-microservices-workspace');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('nestjs-microservices-workspace', result);
  });

  it('finds one service per package', () => {
    expect(result.services.map((service) => service.name)).toEqual(['billing-service', 'notifications-service', 'orders-service']);
  });

  it('connects the billing handler’s emit to the event it handles: order_created → invoice_issued', () => {
    expect(flows(result)).toEqual(['event:order_created → event:invoice_issued']);
    const handler = result.handlers.find((h) => h.id === 'packages/billing/src/billing.controller.ts#BillingController.onOrderCreated');
    expect(handler?.triggers.map((t) => `${t.event} via ${t.via.join(' > ')}`)).toEqual([
      'invoice_issued via packages/billing/src/invoices.service.ts#InvoicesService.issue',
    ]);
  });

  it('connects a NestJS emit with a plain kafkajs consumer of the same topic', () => {
    const event = result.topology.events.find((e) => e.id === 'invoice_issued');
    expect(event?.transports).toEqual(['kafka', 'nestjs']);
    expect(event?.subscribers).toEqual(['packages/notifications/src/main.ts:9:9:subscribe:invoice_issued']);
  });

  it('draws request/reply but keeps it out of the event flow', () => {
    const rpc = result.declarations.filter((d) => d.transport === 'rpc').map((d) => `${d.kind} ${d.event} ${d.service}`);
    expect(rpc).toEqual(['subscribe billing.get-invoice billing-service', 'publish billing.get-invoice orders-service']);
    expect(result.topology.edges.filter((e) => e.kind === 'flow' && (e.from.includes('get-invoice') || e.to.includes('get-invoice')))).toEqual([]);
  });
});
