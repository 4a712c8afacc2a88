import { describe, expect, it } from 'vitest';
import { amqplib } from '../../src/extract/adapters/amqp/amqplib.js';
import { extractFileSummary } from '../../src/extract/extract-file.js';
import { loadTypeScript } from '../../src/extract/typescript.js';
import type { Result } from '../../src/model/result.js';
import { analyzeFixture, expectFixtureOutput } from '../helpers.js';

const declarations = (result: Result) => result.declarations.map((d) => `${d.kind} ${d.event} ${d.file}:${d.line}${d.match ? ` (${d.match})` : ''}`);
const flows = (result: Result) => result.topology.edges.filter((edge) => edge.kind === 'flow').map((edge) => `${edge.from} → ${edge.to}`);
const routes = (result: Result) => result.routes.map((route) => `${route.from}${route.match ? ` (${route.match})` : ''} → ${route.to}${route.dynamic ? ' dynamic' : ''}`);
const subscribers = (result: Result, event: string) =>
  (result.topology.events.find((e) => e.id === event)?.subscribers.map((id) => result.declarations.find((d) => d.id === id)?.handler) ?? []).sort();

describe('fixture amqplib-topic: a topic exchange, queues bound with wildcards, publishers behind a wrapper', async () => {
  const result = await analyzeFixture('amqplib-topic');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('amqplib-topic', result);
  });

  it('names published events <exchange>/<routing key>, through constants, enums, env fallbacks, templates and wrappers', () => {
    expect(result.declarations.filter((d) => d.kind === 'publish').map((d) => `${d.event} ${d.file}:${d.line}${d.wrapper ? ` via ${d.wrapper}` : ''}`)).toEqual([
      'payments/payment.card.succeeded src/billing/billing-consumer.ts:12 via src/payments/payment-gateway.ts#chargeOrder',
      'orders/order.created src/orders/order-events.ts:9 via src/orders/order-events.ts#OrderEvents.send',
      'orders/order.cancelled src/orders/order-events.ts:13 via src/orders/order-events.ts#OrderEvents.send',
      'shipping/shipment.scheduled src/shipping/shipping-worker.ts:14',
    ]);
  });

  it('subscribes each consumed queue, and routes the bound patterns into it', () => {
    expect(result.declarations.filter((d) => d.kind === 'subscribe').map((d) => `${d.event} ${d.file}:${d.line} ${d.handler}`)).toEqual([
      'audit.all-events src/audit/audit-consumer.ts:12 src/audit/audit-consumer.ts#recordAuditEntry',
      'billing.order-created src/billing/billing-consumer.ts:9 src/billing/billing-consumer.ts#startBilling/consume@9',
      'shipping.payment-succeeded src/shipping/shipping-worker.ts:8 src/shipping/shipping-worker.ts#ShippingWorker.onPaymentSucceeded',
    ]);
    expect(routes(result)).toEqual([
      'orders/order.created (amqp) → billing.order-created',
      'payments/payment.*.succeeded (amqp) → shipping.payment-succeeded',
      'orders/# (amqp) → audit.all-events',
      'payments/# (amqp) → audit.all-events',
    ]);
  });

  it('delivers through the bindings: `*` is one word, `#` any words, and an exact key only itself', () => {
    expect(subscribers(result, 'payments/payment.card.succeeded')).toEqual([
      'src/audit/audit-consumer.ts#recordAuditEntry',
      'src/shipping/shipping-worker.ts#ShippingWorker.onPaymentSucceeded',
    ]);
    expect(subscribers(result, 'orders/order.cancelled')).toEqual(['src/audit/audit-consumer.ts#recordAuditEntry']);
    expect(flows(result)).toEqual([
      'event:orders/order.created → event:payments/payment.card.succeeded',
      'event:payments/payment.card.succeeded → event:shipping/shipment.scheduled',
    ]);
  });
});

describe('fixture amqplib-fanout: a fanout exchange, server-named exclusive queues, the callback API', async () => {
  const result = await analyzeFixture('amqplib-fanout');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('amqplib-fanout', result);
  });

  it('subscribes a consumer of a server-named queue to what its fanout binding lets in: every key', () => {
    expect(declarations(result).filter((line) => line.startsWith('subscribe'))).toEqual([
      'subscribe user-events/# src/analytics.ts:12 (amqp)',
      'subscribe mail-log src/mail-log.ts:8',
      'subscribe user-events/# src/mailer.ts:12 (amqp)',
      'subscribe user-events/# src/search-indexer.js:16 (amqp)',
    ]);
    expect(result.routes.every((route) => route.to === 'mail-log')).toBe(true);
  });

  it('reaches every bound queue, whatever the routing key', () => {
    const handlers = ['src/analytics.ts#trackUserEvent', 'src/mailer.ts#startMailer/consume@14', 'src/search-indexer.js#connect@7/createChannel@9/assertQueue@13/consume@18'];
    expect(subscribers(result, 'user-events/')).toEqual(handlers);
    expect(subscribers(result, 'user-events/user.deleted')).toEqual(handlers);
    expect(flows(result)).toEqual(['event:user-events/ → event:mail/sent', 'event:user-events/user.deleted → event:mail/sent']);
  });

  it('routes a direct exchange by exact key', () => {
    expect(routes(result)).toEqual(['mail/sent → mail-log']);
    expect(subscribers(result, 'mail/sent')).toEqual(['src/mail-log.ts#startMailLog/consume@8']);
  });
});

describe('fixture amqplib-direct: work queues through the default exchange, a direct exchange, RPC', async () => {
  const result = await analyzeFixture('amqplib-direct');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('amqplib-direct', result);
  });

  it('connects sendToQueue(q) to consume(q), also through `const { queue } = await assertQueue(q)`', () => {
    expect(subscribers(result, 'images.resize')).toEqual(['src/workers/resize-worker.ts#startResizeWorker/consume@10']);
    expect(subscribers(result, 'images.thumbnails')).toEqual(['src/workers/thumbnail-worker.ts#storeThumbnail']);
    expect(flows(result)).toContain('event:images.resize → event:images.thumbnails');
  });

  it('delivers only the exact keys a direct exchange binds', () => {
    expect(routes(result)).toEqual(['logs.direct/error → log.problems', 'logs.direct/warning → log.problems']);
    expect(subscribers(result, 'logs.direct/error')).toEqual(['src/workers/log-collector.ts#startLogCollector/consume@11']);
    expect(subscribers(result, 'logs.direct/info')).toEqual([]);
  });

  it('keeps RPC as request/reply: the request and its server are rpc, the reply and the reply queue are not events', () => {
    const rpc = result.declarations.filter((d) => d.transport === 'rpc').map((d) => `${d.kind} ${d.event} ${d.file}:${d.line}`);
    expect(rpc).toEqual(['publish rpc.price-quote src/api/price-client.ts:18', 'subscribe rpc.price-quote src/workers/price-server.ts:9']);
    expect(result.declarations.some((d) => d.file === 'src/api/price-client.ts' && d.kind === 'subscribe')).toBe(false);
    expect(result.declarations.some((d) => d.file === 'src/workers/price-server.ts' && d.kind === 'publish')).toBe(false);
    expect(flows(result).some((flow) => flow.includes('rpc.price-quote'))).toBe(false);
  });
});

describe('fixture amqplib-connection-manager: ChannelWrapper with JSON messages, setup functions, a consumer base class', async () => {
  const result = await analyzeFixture('amqplib-connection-manager');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('amqplib-connection-manager', result);
  });

  it('counts publish and sendToQueue on a ChannelWrapper with plain objects as content', () => {
    expect(declarations(result).filter((line) => line.startsWith('publish'))).toEqual([
      'publish purchasing.orders src/consumers/low-stock.consumer.ts:9',
      'publish inventory/stock.reserved src/stock.ts:4',
      'publish inventory/stock.low src/stock.ts:6',
    ]);
  });

  it('instantiates the base class consume per subclass, with the subclass’s queue and handle method', () => {
    expect(result.declarations.filter((d) => d.wrapper).map((d) => `${d.event} ${d.file}:${d.line} ${d.handler}`)).toEqual([
      'inventory.audit src/consumers/audit.consumer.ts:4 src/consumers/audit.consumer.ts#AuditConsumer.handle',
      'inventory.low-stock src/consumers/low-stock.consumer.ts:4 src/consumers/low-stock.consumer.ts#LowStockConsumer.handle',
    ]);
    expect(flows(result)).toEqual(['event:inventory/stock.low → event:purchasing.orders']);
  });

  it('reads the bindings made in a setup function', () => {
    expect(routes(result)).toEqual(['inventory/stock.low (amqp) → inventory.low-stock', 'inventory/stock.# (amqp) → inventory.audit']);
  });
});

describe('fixture amqplib-wrappers: a team EventBus whose subscribe asserts, binds and consumes the caller’s queue', async () => {
  const result = await analyzeFixture('amqplib-wrappers');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('amqplib-wrappers', result);
  });

  it('subscribes each caller to its own binding pattern, since the wrapper’s route depends on the call', () => {
    expect(result.declarations.map((d) => `${d.kind} ${d.event}${d.match ? ` (${d.match})` : ''} ${d.file}:${d.line} via ${d.wrapper}`)).toEqual([
      'publish crm.events/customer.created src/crm/customers.ts:4 via src/messaging/event-bus.ts#EventBus.publish',
      'subscribe crm.events/customer.created (amqp) src/crm/customers.ts:8 via src/messaging/event-bus.ts#EventBus.subscribe',
      'publish crm.events/mail.welcome.sent src/crm/customers.ts:10 via src/messaging/event-bus.ts#EventBus.publish',
      'subscribe crm.events/customer.* (amqp) src/search/indexer.ts:8 via src/messaging/event-bus.ts#EventBus.subscribe',
    ]);
    expect(result.routes).toEqual([]);
  });

  it('takes the callback passed to the wrapper as the handler', () => {
    expect(subscribers(result, 'crm.events/customer.created')).toEqual(['src/crm/customers.ts#startWelcomeMails/subscribe@8', 'src/search/indexer.ts#indexCustomer']);
    expect(flows(result)).toEqual(['event:crm.events/customer.created → event:crm.events/mail.welcome.sent']);
  });
});

describe('fixture amqplib-lookalikes: publish and consume methods that are not AMQP channels', async () => {
  const result = await analyzeFixture('amqplib-lookalikes');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('amqplib-lookalikes', result);
  });

  it('counts only the channel publish', () => {
    expect(declarations(result)).toEqual(['publish orders/order.placed src/orders/order-service.ts:14']);
  });

  it('ignores typed non-channel receivers, untyped ones without AMQP signs, two-argument publishes, res.send and numeric consumes', () => {
    const lines = (file: string) => result.declarations.filter((d) => d.file === file).map((d) => d.line);
    expect(lines('src/orders/order-service.ts')).not.toContain(12);
    expect(lines('src/orders/order-service.ts')).not.toContain(18);
    expect(lines('src/http/routes.ts')).toEqual([]);
    expect(lines('src/jobs/job-runner.ts')).toEqual([]);
    expect(result.handlers).toEqual([]);
  });
});

describe('fixture amqplib-multi-service: orders → billing (topic) → notifications (fanout) across workspace packages', async () => {
  const result = await analyzeFixture('amqplib-multi-service');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('amqplib-multi-service', result);
  });

  it('assigns each declaration to its package’s service', () => {
    expect(result.declarations.map((d) => `${d.kind} ${d.event} ${d.service}`)).toEqual([
      'publish invoices/ billing-service',
      'subscribe billing.orders billing-service',
      'subscribe invoices/# notifications-service',
      'publish orders/order.placed orders-service',
    ]);
  });

  it('connects the flow across services through the topic binding, the handler’s publish and the fanout', () => {
    expect(flows(result)).toEqual(['event:orders/order.placed → event:invoices/']);
    expect(subscribers(result, 'invoices/')).toEqual(['services/notifications/src/email.ts#emailInvoice']);
    const services = result.topology.edges.filter((edge) => edge.kind === 'publish').map((edge) => `${edge.from} → ${edge.to}`);
    expect(services).toEqual(['service:billing-service → event:invoices/', 'service:orders-service → event:orders/order.placed']);
  });
});

describe('amqplib extraction details, one file at a time', () => {
  const summaryOf = (text: string) => extractFileSummary(loadTypeScript(), { fileName: 'src/file.ts', text, adapters: [amqplib] });
  const drafts = (text: string) => summaryOf(text).declarations.map((d) => `${d.kind} ${JSON.stringify(d.name)}${d.match ? ` ${d.match}` : ''} ${d.transport}${d.requires ? ' requires' : ''}`);
  const routeDrafts = (text: string) => summaryOf(text).routes.map((r) => `${JSON.stringify(r.from)}${r.fromMatch ? ` ${r.fromMatch}` : ''} → ${JSON.stringify(r.to)}`);

  it('knows the built-in exchanges’ types, and treats a headers exchange like a fanout one', () => {
    const text = `
      export async function setup(channel) {
        await channel.assertExchange('documents', 'headers');
        await channel.bindQueue('pdf', 'documents', '', { 'x-match': 'all', format: 'pdf' });
        await channel.bindQueue('audit', 'amq.fanout', 'ignored');
        await channel.bindQueue('alerts', 'amq.direct', 'disk.full');
        await channel.bindQueue('metrics', 'amq.topic', 'cpu.*');
      }`;
    expect(routeDrafts(text)).toEqual([
      '{"kind":"literal","value":"documents/#"} amqp → {"kind":"literal","value":"pdf"}',
      '{"kind":"literal","value":"amq.fanout/#"} amqp → {"kind":"literal","value":"audit"}',
      '{"kind":"literal","value":"amq.direct/disk.full"} → {"kind":"literal","value":"alerts"}',
      '{"kind":"literal","value":"amq.topic/cpu.*"} amqp → {"kind":"literal","value":"metrics"}',
    ]);
  });

  it('takes an untyped publish for AMQP only with a Buffer or AMQP signs in the file; a typed one must be a channel', () => {
    expect(drafts(`export function f(bus) { bus.publish('a', 'b', { c: 1 }); }`)).toEqual([]);
    expect(drafts(`export function f(bus) { bus.publish('a', 'b', Buffer.from('c')); }`)).toEqual(['publish {"kind":"literal","value":"a/b"} amqp']);
    expect(drafts(`import * as amqp from 'amqplib';\nexport function f(channel: amqp.Channel) { channel.publish('a', 'b', c); }`)).toEqual([
      'publish {"kind":"literal","value":"a/b"} amqp requires',
    ]);
  });

  it('declares names it cannot resolve, leaving them to link as dynamic', () => {
    const text = `export function forward(channel, message) {
      channel.publish(exchangeFor(message), message.fields.routingKey, message.content);
      channel.consume(queues[0], onMessage);
    }`;
    expect(drafts(text)).toEqual([
      'publish {"kind":"template","parts":[{"kind":"dynamic","text":"exchangeFor(message)"},{"kind":"literal","value":"/"},{"kind":"dynamic","text":"message.fields.routingKey"}],"text":"exchangeFor(message), message.fields.routingKey"} amqp',
      'subscribe {"kind":"dynamic","text":"queues[0]"} amqp',
    ]);
  });

  it('publishes to the default exchange as the queue the key names, and a publish with replyTo as a request', () => {
    expect(drafts(`export function f(ch) { ch.publish('', 'tasks', Buffer.from('x'), { replyTo: 'amq.rabbitmq.reply-to' }); }`)).toEqual([
      'publish {"kind":"literal","value":"tasks"} rpc',
    ]);
  });

  it('declares nothing for reply queues: the direct reply-to pseudo-queue, an unbound server-named queue, a reply send', () => {
    const text = `
      export async function rpc(channel, message) {
        await channel.consume('amq.rabbitmq.reply-to', onReply, { noAck: true });
        const { queue } = await channel.assertQueue('', { exclusive: true });
        await channel.consume(queue, onReply);
        channel.sendToQueue(message.properties.replyTo, Buffer.from('ok'));
      }`;
    expect(drafts(text)).toEqual([]);
  });

  it('keeps a server-named queue bound after its consume as a dynamic route', () => {
    const text = `
      export async function late(channel) {
        const q = await channel.assertQueue('', { exclusive: true });
        await channel.consume(q.queue, onMessage);
        await channel.bindQueue(q.queue, 'logs', '#');
      }`;
    expect(drafts(text)).toEqual([]);
    expect(routeDrafts(text)).toEqual(['{"kind":"literal","value":"logs/#"} amqp → {"kind":"dynamic","text":"q.queue"}']);
  });
});
