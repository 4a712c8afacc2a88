import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { analyzeFixture, expectFixtureOutput } from '../helpers.js';

const declarations = (result: Result) =>
  result.declarations.map((d) => `${d.kind} ${d.event} ${d.file}:${d.line}${d.kind === 'subscribe' ? ` → ${d.handler}` : ''}`);
const flows = (result: Result) => result.topology.edges.filter((edge) => edge.kind === 'flow').map((edge) => `${edge.from} → ${edge.to}`);

describe('fixture dapr-pubsub: DaprServer subscriptions (all variants) and DaprClient publishes', async () => {
  const result = await analyzeFixture('dapr-pubsub');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('dapr-pubsub', result);
  });

  it('subscribes with subscribe, subscribeWithOptions (callback), subscribeToRoute and bulk subscribe', () => {
    expect(declarations(result).filter((line) => line.startsWith('subscribe'))).toEqual([
      'subscribe orders.received src/server.ts:13 → src/orders.ts#receiveOrder',
      'subscribe orders.paid src/server.ts:15 → src/server.ts#start/subscribe@18',
      'subscribe inventory.low src/server.ts:23 → src/server.ts#start/subscribe@23',
      'subscribe orders.audit src/server.ts:27 → src/server.ts#start/subscribe@27',
    ]);
  });

  it('publishes the topic (not the component) from a module-level client, server.client and an injected DaprClient', () => {
    expect(declarations(result).filter((line) => line.startsWith('publish'))).toEqual([
      'publish orders.paid src/orders.ts:10',
      'publish orders.shipped src/server.ts:19',
      'publish inventory.low src/stock.service.ts:11',
    ]);
    expect(result.declarations.every((d) => d.transport === 'dapr' && !d.dynamic)).toBe(true);
  });

  it('does not count the state API of the same client', () => {
    expect(result.declarations.some((d) => d.file === 'src/stock.service.ts' && d.line !== 11)).toBe(false);
  });

  it('follows handlers into injected services', () => {
    expect(flows(result)).toEqual([
      'event:orders.paid → event:orders.shipped',
      'event:orders.received → event:inventory.low',
      'event:orders.received → event:orders.paid',
    ]);
  });
});

describe('fixture dapr-lookalikes: a GraphQL context.pubsub, a fake client, state and bindings', async () => {
  const result = await analyzeFixture('dapr-lookalikes');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('dapr-lookalikes', result);
  });

  it('declares only the real DaprClient publish', () => {
    expect(declarations(result)).toEqual(['publish feed.archived src/state.ts:26']);
    expect(result.declarations.some((d) => d.event === 'COMMENT_ADDED' || d.event === 'feed.created')).toBe(false);
  });
});

describe('fixture dapr-services: checkout → orders → notifications over one pub/sub component', async () => {
  const result = await analyzeFixture('dapr-services');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('dapr-services', result);
  });

  it('puts each declaration in its service', () => {
    expect(result.declarations.map((d) => `${d.kind} ${d.event} ${d.service}`)).toEqual([
      'publish orders.placed checkout',
      'subscribe orders.confirmed notifications',
      'subscribe orders.placed orders',
      'publish orders.confirmed orders',
    ]);
  });

  it('has an event → event flow through the orders handler, which publishes via this.server.client', () => {
    expect(flows(result)).toEqual(['event:orders.placed → event:orders.confirmed']);
    expect(result.handlers.find((h) => h.service === 'orders')?.triggers.map((t) => `${t.event} via ${t.via.join(' > ')}`)).toEqual([
      'orders.confirmed via services/orders/src/order.handler.ts#OrderHandler.onOrderPlaced',
    ]);
  });
});
