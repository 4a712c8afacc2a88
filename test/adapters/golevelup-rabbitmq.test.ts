import { describe, expect, it } from 'vitest';
import { golevelupRabbitmq } from '../../src/extract/adapters/amqp/golevelup-rabbitmq.js';
import { extractFileSummary } from '../../src/extract/extract-file.js';
import { loadTypeScript } from '../../src/extract/typescript.js';
import type { Result } from '../../src/model/result.js';
import { analyzeFixture, expectFixtureOutput } from '../helpers.js';

const flows = (result: Result) => result.topology.edges.filter((edge) => edge.kind === 'flow').map((edge) => `${edge.from} → ${edge.to}`);
const subscribers = (result: Result, event: string) =>
  (result.topology.events.find((e) => e.id === event)?.subscribers.map((id) => result.declarations.find((d) => d.id === id)?.handler) ?? []).sort();

describe('fixture golevelup-rabbitmq-subscribe: @RabbitSubscribe, @RabbitRPC, @RabbitHandler and AmqpConnection', async () => {
  const result = await analyzeFixture('golevelup-rabbitmq-subscribe');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('golevelup-rabbitmq-subscribe', result);
  });

  it('subscribes the decorated method to its queue, or to its bindings when the queue is server-named', () => {
    const subscriptions = result.declarations.filter((d) => d.kind === 'subscribe');
    expect(subscriptions.map((d) => `${d.event}${d.match ? ` (${d.match})` : ''} ${d.transport} ${d.file}:${d.line} ${d.handler}`)).toEqual([
      'fx.quotes rpc src/fx/fx.handler.ts:7 src/fx/fx.handler.ts#FxHandler.quote',
      'ledger.payments amqp src/ledger/ledger.handler.ts:10 src/ledger/ledger.handler.ts#LedgerHandler.record',
      'payments/payment.# (amqp) amqp src/ledger/ledger.handler.ts:21 src/ledger/ledger.handler.ts#LedgerHandler.mirror',
      'payments.capture amqp src/payments/capture.handler.ts:9 src/payments/capture.handler.ts#CaptureHandler.capture',
      'legacy.refunds amqp src/refunds/refunds.handler.ts:12 src/refunds/refunds.handler.ts#RefundsHandler.onLegacyRefund',
      'refunds.tickets amqp src/refunds/refunds.handler.ts:17 src/refunds/refunds.handler.ts#RefundsHandler.onTicket',
    ]);
  });

  it('routes each routing key (one route per array element) into the queue', () => {
    expect(result.routes.map((r) => `${r.from} (${r.match}) → ${r.to} ${r.transport}`)).toEqual([
      'fx/fx.quote.* (amqp) → fx.quotes rpc',
      'payments/payment.captured (amqp) → ledger.payments amqp',
      'payments/payment.refunded (amqp) → ledger.payments amqp',
      'payments/payment.authorized (amqp) → payments.capture amqp',
      'support/ticket.refund-requested (amqp) → refunds.tickets amqp',
    ]);
  });

  it('publishes through AmqpConnection: publish is an event, request is request/reply, the default exchange names the queue', () => {
    expect(result.declarations.filter((d) => d.kind === 'publish').map((d) => `${d.event} ${d.transport} ${d.file}:${d.line}`)).toEqual([
      'payments/payment.captured amqp src/payments/capture.handler.ts:15',
      'fx/fx.quote.eur rpc src/payments/fx-client.ts:10',
      'payments/payment.authorized amqp src/payments/payments.service.ts:10',
      'payments/payment.refunded amqp src/refunds/refunds.handler.ts:14',
      'legacy.refunds amqp src/refunds/refunds.handler.ts:19',
    ]);
  });

  it('connects publishers to handlers through the bindings', () => {
    expect(subscribers(result, 'payments/payment.captured')).toEqual([
      'src/ledger/ledger.handler.ts#LedgerHandler.mirror',
      'src/ledger/ledger.handler.ts#LedgerHandler.record',
    ]);
    expect(subscribers(result, 'fx/fx.quote.eur')).toEqual(['src/fx/fx.handler.ts#FxHandler.quote']);
    expect(flows(result)).toEqual([
      'event:legacy.refunds → event:payments/payment.refunded',
      'event:payments/payment.authorized → event:payments/payment.captured',
    ]);
  });
});

describe('fixture golevelup-rabbitmq-lookalikes: publish, request and decorators that are not the library’s', async () => {
  const result = await analyzeFixture('golevelup-rabbitmq-lookalikes');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('golevelup-rabbitmq-lookalikes', result);
  });

  it('counts only the AmqpConnection publish', () => {
    expect(result.declarations.map((d) => `${d.kind} ${d.event} ${d.file}:${d.line}`)).toEqual(['publish orders/order.shipped src/orders/orders.controller.ts:18']);
    expect(result.handlers).toEqual([]);
    expect(result.routes).toEqual([]);
  });
});

describe('fixture golevelup-rabbitmq-multi-service: orders → payments → shipping, NestJS services in a workspace', async () => {
  const result = await analyzeFixture('golevelup-rabbitmq-multi-service');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('golevelup-rabbitmq-multi-service', result);
  });

  it('follows the handler into the injected publisher, so the flow connects', () => {
    const charge = result.handlers.find((h) => h.id === 'services/payments/src/order-placed.consumer.ts#OrderPlacedConsumer.charge');
    expect(charge?.triggers.map((t) => `${t.event} via ${t.via.join(' > ')}`)).toEqual([
      'payments/payment.captured via services/payments/src/payment-events.publisher.ts#PaymentEventsPublisher.captured',
    ]);
    expect(flows(result)).toEqual(['event:orders/order.placed → event:payments/payment.captured']);
  });

  it('draws the service graph orders → payments → shipping', () => {
    const serviceEdges = result.declarations
      .filter((d) => d.kind === 'publish')
      .flatMap((publish) => subscribers(result, publish.event).map((handler) => `${publish.service} → ${result.handlers.find((h) => h.id === handler)?.service}`));
    expect(serviceEdges).toEqual(['orders-service → payments-service', 'payments-service → shipping-service']);
  });
});

describe('golevelup-rabbitmq extraction details, one file at a time', () => {
  const drafts = (text: string) =>
    extractFileSummary(loadTypeScript(), { fileName: 'src/file.ts', text, adapters: [golevelupRabbitmq] }).declarations.map(
      (d) => `${d.kind} ${JSON.stringify(d.name)}${d.match ? ` ${d.match}` : ''} ${d.transport}${d.handler ? ` handler ${JSON.stringify(d.handler)}` : ''}`,
    );

  it('keeps a handler whose options it cannot read as a dynamic subscription', () => {
    const text = `
      export class Handlers {
        @RabbitSubscribe(ORDER_SUBSCRIPTION)
        onOrder() {}
        @RabbitSubscribe({ name: 'configured-in-module' })
        onConfigured() {}
      }`;
    expect(drafts(text)).toEqual([
      'subscribe {"kind":"dynamic","text":"ORDER_SUBSCRIPTION"} amqp handler {"fn":"Handlers.onOrder"}',
      'subscribe {"kind":"dynamic","text":"{ name: \'configured-in-module\' }"} amqp handler {"fn":"Handlers.onConfigured"}',
    ]);
  });

  it('reads an empty queue name as a server-named queue', () => {
    const text = `
      export class Handlers {
        @RabbitSubscribe({ exchange: 'audit', routingKey: '#', queue: '' })
        onAnything() {}
      }`;
    expect(drafts(text)).toEqual(['subscribe {"kind":"literal","value":"audit/#"} amqp amqp handler {"fn":"Handlers.onAnything"}']);
  });

  it('needs a receiver whose type the syntax shows for publish and request', () => {
    expect(drafts(`export function f(connection) { connection.publish('orders', 'order.placed', {}); }`)).toEqual([]);
  });
});
