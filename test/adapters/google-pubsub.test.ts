import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { analyzeFixture, expectFixtureOutput } from '../helpers.js';

const sites = (result: Result) => result.declarations.map((d) => `${d.kind} ${d.event} ${d.file}:${d.line}`);
const routes = (result: Result) => result.routes.map((r) => `${r.from} → ${r.to} ${r.file}:${r.line}`);
const flows = (result: Result) => result.topology.edges.filter((edge) => edge.kind === 'flow').map((edge) => `${edge.from} → ${edge.to} by ${edge.handler}`);

describe('fixture google-pubsub-publish: topics from a shared client, variables, fields, createTopic, a helper, full resource names', async () => {
  const result = await analyzeFixture('google-pubsub-publish');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('google-pubsub-publish', result);
  });

  it('declares a publish on the topic for publishMessage, publish, publishJSON and publisher().publish', () => {
    expect(result.declarations.map((d) => `${d.kind} ${d.event} ${d.framework}/${d.transport} ${d.file}:${d.line} ${d.resolution}`)).toEqual([
      'publish order-placed google-pubsub/pubsub src/checkout.ts:5 imported-constant',
      'publish inventory-reserved google-pubsub/pubsub src/checkout.ts:10 literal',
      'publish reports-generated google-pubsub/pubsub src/checkout.ts:15 literal',
      'publish order-shipped google-pubsub/pubsub src/events.ts:10 imported-constant',
      'publish customer-registered google-pubsub/pubsub src/events.ts:14 literal',
      'publish audit-log google-pubsub/pubsub src/legacy.js:7 literal',
      'publish payments-settled google-pubsub/pubsub src/legacy.js:11 literal',
      'publish notifications google-pubsub/pubsub src/notifier.ts:12 env-fallback',
      'publish * google-pubsub/pubsub src/notifier.ts:18 dynamic',
    ]);
  });

  it('names a topic by its short name, whether written short or as projects/<project>/topics/<name>', () => {
    expect(result.declarations.filter((d) => d.file === 'src/legacy.js').map((d) => d.event)).toEqual(['audit-log', 'payments-settled']);
  });

  it('instantiates the helper’s publish at each caller, with the caller’s topic', () => {
    expect(result.declarations.filter((d) => d.wrapper).map((d) => `${d.event} ${d.file}:${d.line} via ${d.wrapper}`)).toEqual([
      'order-shipped src/events.ts:10 via src/events.ts#publishEvent',
      'customer-registered src/events.ts:14 via src/events.ts#publishEvent',
    ]);
  });

  it('keeps a publish on a Topic handed in from elsewhere as a dynamic declaration', () => {
    const forwarded = result.declarations.find((d) => d.file === 'src/notifier.ts' && d.line === 18);
    expect(forwarded).toMatchObject({ kind: 'publish', dynamic: true, expression: 'topic' });
  });
});

describe('fixture google-pubsub-subscribe: subscriptions with on(\'message\'), created on topics in code, in fields and behind a helper', async () => {
  const result = await analyzeFixture('google-pubsub-subscribe');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('google-pubsub-subscribe', result);
  });

  it('subscribes the subscription name, with the message listener as its handler', () => {
    expect(result.declarations.filter((d) => d.kind === 'subscribe').map((d) => `${d.event} ${d.file}:${d.line} → ${d.handler}`)).toEqual([
      'carrier-shipment-requested src/carrier.ts:12 → src/carrier.ts#CarrierWorker.book',
      'audit-shipment-booked src/listen.ts:13 → src/listen.ts#listen@13',
      '* src/listen.ts:19 → src/listen.ts#drain/on@19',
      'shipping-order-placed src/setup.ts:7 → src/setup.ts#handleOrderPlaced',
      'shipping-payment-settled src/setup.ts:11 → src/setup.ts#startShipping/on@11',
    ]);
  });

  it('routes each topic into the subscriptions made on it: topic.createSubscription, pubsub.createSubscription, topic.subscription', () => {
    expect(routes(result)).toEqual([
      'shipment-requested → carrier-shipment-requested src/carrier.ts:8',
      'payment-settled → shipping-payment-settled src/setup.ts:10',
      'order-placed → shipping-order-placed src/setup.ts:6',
    ]);
  });

  it('lets handlers of a subscription react to what is published on its topic', () => {
    expect(flows(result)).toEqual([
      'event:order-placed → event:shipment-requested by src/setup.ts#handleOrderPlaced',
      'event:shipment-requested → event:shipment-booked by src/carrier.ts#CarrierWorker.book',
    ]);
  });

  it('ignores the subscription’s error listener', () => {
    expect(sites(result).filter((site) => site.includes('src/setup.ts:8'))).toEqual([]);
  });
});

describe('fixture google-pubsub-lookalikes: topic/publish/on(\'message\') on Redis, a local broker, WebSocket, Worker, process, Firebase', async () => {
  const result = await analyzeFixture('google-pubsub-lookalikes');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('google-pubsub-lookalikes', result);
  });

  it('declares only the real client’s publish, and no route from the local broker’s topic().subscription()', () => {
    expect(sites(result)).toEqual(['publish announcements src/real.ts:7']);
    expect(result.routes).toEqual([]);
    expect(result.handlers).toEqual([]);
  });
});

describe('fixture google-pubsub-services: checkout, billing and notifications packages around a shared client and topic enum', async () => {
  const result = await analyzeFixture('google-pubsub-services');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('google-pubsub-services', result);
  });

  it('assigns declarations and routes to their packages', () => {
    expect(result.declarations.map((d) => `${d.service} ${d.kind} ${d.event}`)).toEqual([
      '@acme/billing subscribe billing.order-placed',
      '@acme/billing publish invoice-issued',
      '@acme/checkout publish order-placed',
      '@acme/notifications subscribe notifications.invoice-issued',
    ]);
    expect(result.routes.map((r) => `${r.service} ${r.from} → ${r.to}`)).toEqual([
      '@acme/billing order-placed → billing.order-placed',
      '@acme/notifications invoice-issued → notifications.invoice-issued',
    ]);
  });

  it('connects checkout → billing → notifications through the routes, with a flow through billing’s handler', () => {
    expect(flows(result)).toEqual(['event:order-placed → event:invoice-issued by services/billing/src/main.ts#invoice']);
    expect(result.topology.edges.filter((e) => e.kind === 'subscribe').map((e) => `${e.from} → ${e.to}`)).toEqual([
      'event:invoice-issued → handler:services/notifications/src/main.ts#main/on@8',
      'event:order-placed → handler:services/billing/src/main.ts#invoice',
    ]);
  });
});
