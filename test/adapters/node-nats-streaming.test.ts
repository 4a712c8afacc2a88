import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { analyzeFixture, expectFixtureOutput } from '../helpers.js';

const sites = (result: Result) => result.declarations.map((d) => `${d.kind} ${d.event} ${d.file}:${d.line}`);
const flows = (result: Result) => result.topology.edges.filter((edge) => edge.kind === 'flow').map((edge) => `${edge.from} → ${edge.to} by ${edge.handler}`);

describe('fixture node-nats-streaming-direct: connect() in the file, a typed Stan field, chained and bound message handlers', async () => {
  const result = await analyzeFixture('node-nats-streaming-direct');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('node-nats-streaming-direct', result);
  });

  it('declares publishes and subscribes on the client, whether connect() made it here or its type says Stan', () => {
    expect(result.declarations.map((d) => `${d.kind} ${d.event} ${d.framework}/${d.transport} ${d.file}:${d.line} ${d.resolution}`)).toEqual([
      'publish ledger.booked node-nats-streaming/nats src/ledger.ts:9 imported-constant',
      'subscribe payment.captured node-nats-streaming/nats src/ledger.ts:17 imported-constant',
      'subscribe order.placed node-nats-streaming/nats src/payments-worker.ts:10 imported-constant',
      'publish payment.captured node-nats-streaming/nats src/payments-worker.ts:14 imported-constant',
      'subscribe refund.requested node-nats-streaming/nats src/refunds-worker.ts:11 imported-constant',
      'publish refund.issued node-nats-streaming/nats src/refunds-worker.ts:17 imported-constant',
      'publish audit.replayed node-nats-streaming/nats src/replay.js:5 literal',
      'subscribe order.placed node-nats-streaming/nats src/replay.js:11 literal',
    ]);
  });

  it('takes the subscription’s on(\'message\') listener as the handler: inline, chained, bound, or on a field', () => {
    const handlers = Object.fromEntries(result.declarations.filter((d) => d.kind === 'subscribe').map((d) => [`${d.file}:${d.line}`, d.handler]));
    expect(handlers).toEqual({
      'src/ledger.ts:17': 'src/ledger.ts#Ledger.book',
      'src/payments-worker.ts:10': 'src/payments-worker.ts#PaymentsWorker.start/on@10',
      'src/refunds-worker.ts:11': 'src/refunds-worker.ts#RefundsWorker.listen/on@16',
      'src/replay.js:11': 'src/replay.js#on@4/on@12',
    });
  });

  it('ignores the client’s own events and the subscription’s error listener', () => {
    expect(result.declarations.filter((d) => ['connect', 'close', 'error'].includes(d.event))).toEqual([]);
  });

  it('follows what each handler publishes', () => {
    expect(flows(result)).toEqual([
      'event:order.placed → event:payment.captured by src/payments-worker.ts#PaymentsWorker.start/on@10',
      'event:payment.captured → event:ledger.booked by src/ledger.ts#Ledger.book',
      'event:refund.requested → event:refund.issued by src/refunds-worker.ts#RefundsWorker.listen/on@16',
    ]);
  });
});

describe('fixture node-nats-streaming-lookalikes: the same method names on other receivers', async () => {
  const result = await analyzeFixture('node-nats-streaming-lookalikes');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('node-nats-streaming-lookalikes', result);
  });

  it('declares only the Stan client’s publish, not the team bus, the WebSocket nor the mqtt client', () => {
    expect(sites(result)).toEqual(['publish gateway.forwarded src/lookalikes.ts:27']);
    expect(result.handlers).toEqual([]);
  });
});

describe('fixture node-nats-streaming-ticketing: common package with Publisher/Listener base classes, tickets and orders services', async () => {
  const result = await analyzeFixture('node-nats-streaming-ticketing');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('node-nats-streaming-ticketing', result);
  });

  it('instantiates the base classes’ this.subject per subclass, at each call site (at the class when never called), in the service', () => {
    expect(result.declarations.map((d) => `${d.service} ${d.kind} ${d.event} ${d.file}:${d.line} via ${d.wrapper}`)).toEqual([
      'orders publish order:cancelled orders/src/events/publishers/order-cancelled-publisher.ts:4 via common/src/events/base-publisher.ts#Publisher.publish',
      'orders subscribe ticket:created orders/src/index.ts:12 via common/src/events/base-listener.ts#Listener.listen',
      'orders subscribe ticket:updated orders/src/index.ts:13 via common/src/events/base-listener.ts#Listener.listen',
      'orders publish order:created orders/src/routes/new.ts:16 via common/src/events/base-publisher.ts#Publisher.publish',
      'tickets publish ticket:updated tickets/src/events/listeners/order-created-listener.ts:18 via common/src/events/base-publisher.ts#Publisher.publish',
      'tickets subscribe order:created tickets/src/index.ts:16 via common/src/events/base-listener.ts#Listener.listen',
      'tickets publish ticket:created tickets/src/routes/new.ts:12 via common/src/events/base-publisher.ts#Publisher.publish',
    ]);
  });

  it('takes each subclass’s onMessage as the handler the inline listener forwards to', () => {
    expect(result.handlers.map((h) => `${h.id} → ${h.triggers.map((t) => t.event).join(', ') || 'nothing'}`)).toEqual([
      'orders/src/events/listeners/ticket-created-listener.ts#TicketCreatedListener.onMessage → nothing',
      'orders/src/events/listeners/ticket-updated-listener.ts#TicketUpdatedListener.onMessage → nothing',
      'tickets/src/events/listeners/order-created-listener.ts#OrderCreatedListener.onMessage → ticket:updated',
    ]);
  });

  it('draws the flow through the tickets service and the service graph between the two services', () => {
    expect(flows(result)).toEqual([
      'event:order:created → event:ticket:updated by tickets/src/events/listeners/order-created-listener.ts#OrderCreatedListener.onMessage',
    ]);
    expect(result.findings.map((f) => f.message)).toContain('Service cycle: orders →(order:created) tickets →(ticket:created, ticket:updated) orders');
  });

  it('does not take natsWrapper.client.on(…) or the publisher’s own publish() for declarations', () => {
    expect(result.declarations.filter((d) => d.file.endsWith('nats-wrapper.ts') || d.file.startsWith('common/'))).toEqual([]);
  });
});

describe('fixture node-nats-streaming-wrapper-getter: the client reached through a wrapper’s getter (natsWrapper.client)', async () => {
  const result = await analyzeFixture('node-nats-streaming-wrapper-getter');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('node-nats-streaming-wrapper-getter', result);
  });

  it('declares the subscribe and the publish made on the getter’s client, typed by the field it returns', () => {
    expect(result.declarations.map((d) => `${d.kind} ${d.event} ${d.file}:${d.line} ${d.resolution}`)).toEqual([
      'subscribe order:created src/expiration.ts:7 imported-constant',
      'publish expiration:complete src/expiration.ts:16 imported-constant',
    ]);
    expect(flows(result)).toEqual(['event:order:created → event:expiration:complete by src/expiration.ts#listenForOrders/on@8']);
  });
});
