import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { analyzeFixture, expectFixtureOutput } from '../helpers.js';

const sites = (result: Result) => result.declarations.map((d) => `${d.kind} ${d.event}${d.match ? ` (${d.match})` : ''} ${d.transport} ${d.file}:${d.line}`);
const handlerOf = (result: Result, file: string, line: number) => result.declarations.find((d) => d.file === file && d.line === line)?.handler;
const flows = (result: Result) => result.topology.edges.filter((edge) => edge.kind === 'flow').map((edge) => `${edge.from} → ${edge.to}`);
const subscribersOf = (result: Result, event: string) => result.topology.events.find((e) => e.id === event)?.subscribers ?? [];

describe('fixture nats-core: connections made with connect(), callbacks, async iterators, request/reply, wildcards, nats 1.x', async () => {
  const result = await analyzeFixture('nats-core');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('nats-core', result);
  });

  it('declares every publish, request and subscribe on an untyped connection from connect()', () => {
    expect(sites(result)).toEqual([
      'subscribe orders.* (nats) nats src/audit.ts:6',
      'subscribe greetings.> (nats) nats src/audit.ts:7',
      'publish orders.placed nats src/checkout.ts:7',
      'subscribe inventory.restocked nats src/inventory.js:9',
      'subscribe inventory.check nats src/inventory.js:10',
      'publish inventory.checked nats src/inventory.js:24',
      'subscribe orders.placed nats src/legacy.js:6',
      'publish legacy.orders.seen nats src/legacy.js:7',
      'publish inventory.check rpc src/legacy.js:10',
      'subscribe orders.placed nats src/mailer.ts:8',
      'publish emails.sent nats src/mailer.ts:17',
      'subscribe greetings.hello nats src/main.ts:7',
      'publish greetings.answered nats src/main.ts:11',
      'publish greetings.hello nats src/main.ts:16',
      'publish metrics.tick nats src/metrics.ts:11',
      'publish pricing.quote rpc src/pricing.ts:8',
      'subscribe pricing.quote nats src/pricing.ts:14',
    ]);
  });

  it('takes the options’ callback, a positional function (nats 1.x), or the function draining a for-await loop as the handler', () => {
    expect(handlerOf(result, 'src/mailer.ts', 8)).toBe('src/mailer.ts#startMailer/subscribe@10');
    expect(handlerOf(result, 'src/legacy.js', 6)).toBe('src/legacy.js#onOrder@6');
    // The async IIFE that iterates the subscription becomes a handler of its own…
    expect(handlerOf(result, 'src/main.ts', 7)).toBe('src/main.ts#messages@8');
    // …and a function the subscription is passed to handles it, for each subscription passed.
    expect(handlerOf(result, 'src/audit.ts', 6)).toBe('src/audit.ts#record');
    expect(handlerOf(result, 'src/audit.ts', 7)).toBe('src/audit.ts#record');
    expect(handlerOf(result, 'src/inventory.js', 9)).toBe('src/inventory.js#InventoryService.applyRestocks');
    // A subscription kept in a field is drained by the method that loops over the field.
    expect(handlerOf(result, 'src/inventory.js', 10)).toBe('src/inventory.js#InventoryService.answerChecks');
  });

  it('follows connections kept in untyped fields and module-level variables assigned later', () => {
    expect(result.declarations.filter((d) => ['src/inventory.js', 'src/metrics.ts'].includes(d.file)).map((d) => `${d.kind} ${d.event}`)).toEqual([
      'subscribe inventory.restocked',
      'subscribe inventory.check',
      'publish inventory.checked',
      'publish metrics.tick',
    ]);
  });

  it('keeps the module-level publish out of the IIFE handler, so no self-loop appears', () => {
    const handler = result.handlers.find((h) => h.id === 'src/main.ts#messages@8');
    expect(handler?.triggers.map((t) => t.event)).toEqual(['greetings.answered']);
    expect(flows(result)).toEqual([
      'event:greetings.hello → event:greetings.answered',
      'event:inventory.check → event:inventory.checked',
      'event:orders.placed → event:emails.sent',
      'event:orders.placed → event:legacy.orders.seen',
    ]);
  });

  it('matches `*` and `>` subscriptions against published subjects', () => {
    expect(subscribersOf(result, 'orders.placed')).toContain('src/audit.ts:6:18:subscribe:orders.*');
    expect(subscribersOf(result, 'greetings.hello')).toContain('src/audit.ts:7:21:subscribe:greetings.>');
    expect(subscribersOf(result, 'greetings.answered')).toContain('src/audit.ts:7:21:subscribe:greetings.>');
    expect(subscribersOf(result, 'emails.sent')).toEqual([]);
  });

  it('keeps requests on the rpc transport: a handler making a request gets no flow to its subject', () => {
    const event = result.topology.events.find((e) => e.id === 'pricing.quote');
    expect(event?.transports).toEqual(['nats', 'rpc']);
    expect(result.topology.edges.filter((e) => e.kind === 'flow' && (e.from === 'event:pricing.quote' || e.to === 'event:pricing.quote'))).toEqual([]);
    expect(result.topology.edges.filter((e) => e.kind === 'flow' && e.to === 'event:inventory.check')).toEqual([]);
  });
});

describe('fixture nats-jetstream: js.publish, streams and consumers added by the manager, consumers.get, consumerOpts, pullSubscribe', async () => {
  const result = await analyzeFixture('nats-jetstream');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('nats-jetstream', result);
  });

  it('routes stream subjects into stream:<name> and consumer filters into stream:<name>/<consumer>', () => {
    expect(result.routes.map((r) => `${r.from}${r.match ? ` (${r.match})` : ''} → ${r.to} ${r.file}:${r.line}`)).toEqual([
      'orders.paid → stream:ORDERS/fulfilment src/streams.ts:11',
      'stream:ORDERS → stream:ORDERS/ledger src/streams.ts:13',
      'orders.> (nats) → stream:ORDERS src/streams.ts:7',
    ]);
  });

  it('subscribes a durable consumer’s channel, an ordered consumer’s filter subjects, and old-style subjects', () => {
    expect(sites(result).filter((site) => site.startsWith('subscribe'))).toEqual([
      'subscribe stream:ORDERS nats src/audit.ts:7',
      'subscribe stream:ORDERS/fulfilment nats src/fulfilment.ts:7',
      'subscribe stream:ORDERS/ledger nats src/ledger.ts:7',
      'subscribe orders.created nats src/replay.ts:7',
      'subscribe shipments.requested nats src/shipping.ts:16',
      'subscribe shipments.* (nats) nats src/shipping.ts:22',
    ]);
  });

  it('pairs each consumer with its consume() callback, its for-await loop, its next() caller, or its consumerOpts().callback()', () => {
    expect(handlerOf(result, 'src/audit.ts', 7)).toBe('src/audit.ts#auditOrders');
    expect(handlerOf(result, 'src/fulfilment.ts', 7)).toBe('src/fulfilment.ts#startFulfilment/consume@9');
    expect(handlerOf(result, 'src/ledger.ts', 7)).toBe('src/ledger.ts#startLedger');
    expect(handlerOf(result, 'src/replay.ts', 7)).toBe('src/replay.ts#replayCreatedOrders');
    expect(handlerOf(result, 'src/shipping.ts', 16)).toBe('src/shipping.ts#startShipping/callback@11');
    expect(handlerOf(result, 'src/shipping.ts', 22)).toBe('src/shipping.ts#startTracking/messages@23');
  });

  it('delivers what the stream captured: the whole stream to the ordered consumer and ledger, only orders.paid to fulfilment', () => {
    expect(subscribersOf(result, 'orders.created')).toEqual([
      'src/audit.ts:7:25:subscribe:stream:ORDERS',
      'src/ledger.ts:7:26:subscribe:stream:ORDERS/ledger',
      'src/replay.ts:7:25:subscribe:orders.created',
    ]);
    expect(subscribersOf(result, 'orders.paid')).toEqual([
      'src/audit.ts:7:25:subscribe:stream:ORDERS',
      'src/fulfilment.ts:7:26:subscribe:stream:ORDERS/fulfilment',
      'src/ledger.ts:7:26:subscribe:stream:ORDERS/ledger',
    ]);
    expect(subscribersOf(result, 'shipments.requested')).not.toContain('src/audit.ts:7:25:subscribe:stream:ORDERS');
    expect(flows(result)).toEqual(['event:orders.paid → event:shipments.requested', 'event:shipments.requested → event:shipments.dispatched']);
  });
});

describe('fixture nats-subjects: subject names from constants, enums, templates and env, and a typed EventBus wrapper', async () => {
  const result = await analyzeFixture('nats-subjects');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('nats-subjects', result);
  });

  it('resolves every way of writing a subject, and keeps an unresolvable one as dynamic', () => {
    expect(result.declarations.filter((d) => d.file === 'src/reporting.ts').map((d) => `${d.event} ${d.resolution}`)).toEqual([
      'reports.daily constant',
      'orders.eu.shipped template',
      'orders.shipped imported-constant',
      'audit.reports env-fallback',
      '* dynamic',
    ]);
  });

  it('instantiates the wrapper’s publish and subscribe at each call site, with the caller’s subject and callback', () => {
    expect(result.declarations.filter((d) => d.wrapper).map((d) => `${d.kind} ${d.event} ${d.file}:${d.line} via ${d.wrapper}`)).toEqual([
      'subscribe orders.placed src/payments.ts:7 via src/event-bus.ts#EventBus.subscribe',
      'publish payments.captured src/payments.ts:8 via src/event-bus.ts#EventBus.publish',
      'subscribe orders.eu.* src/payments.ts:10 via src/event-bus.ts#EventBus.subscribe',
      'publish payments.refunded src/payments.ts:11 via src/event-bus.ts#EventBus.publish',
    ]);
  });

  it('treats subjects the file cannot see as patterns, so a wildcard passed to the wrapper still matches', () => {
    const pattern = result.declarations.find((d) => d.event === 'orders.eu.*');
    expect(pattern?.match).toBe('nats');
    expect(flows(result)).toEqual(['event:orders.eu.shipped → event:payments.refunded', 'event:orders.placed → event:payments.captured']);
  });
});

describe('fixture nats-lookalikes: publish/subscribe/request on receivers that are not NATS connections', async () => {
  const result = await analyzeFixture('nats-lookalikes');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('nats-lookalikes', result);
  });

  it('declares only the real connection’s publish', () => {
    expect(sites(result)).toEqual(['publish chat.messages nats src/chat.ts:8']);
  });

  it('declares nothing for typed look-alikes (Redis, RxJS, axios, a team class, WebSocket) nor untyped ones (mqtt, EventEmitter)', () => {
    expect(result.declarations.filter((d) => d.file !== 'src/chat.ts')).toEqual([]);
    expect(result.handlers).toEqual([]);
  });
});

describe('fixture nats-services: three services in a workspace, core NATS and JetStream, a chain of handlers', async () => {
  const result = await analyzeFixture('nats-services');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('nats-services', result);
  });

  it('assigns each declaration to its workspace package', () => {
    expect(result.declarations.map((d) => `${d.service} ${d.kind} ${d.event}`)).toEqual([
      '@shop/orders subscribe payments.captured',
      '@shop/orders publish orders.paid',
      '@shop/orders publish orders.created',
      '@shop/payments subscribe orders.created',
      '@shop/payments publish payments.captured',
      '@shop/shipping subscribe stream:ORDERS/shipping',
      '@shop/shipping publish shipments.created',
    ]);
  });

  it('connects the services through handlers that publish, including the JetStream consumer reached through its stream', () => {
    expect(flows(result)).toEqual([
      'event:orders.created → event:payments.captured',
      'event:orders.paid → event:shipments.created',
      'event:payments.captured → event:orders.paid',
    ]);
    expect(result.findings.map((f) => f.ruleId)).toContain('service-cycle');
  });
});
