import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { analyzeFixture, expectFixtureOutput } from '../helpers.js';

const declarations = (result: Result) =>
  result.declarations.map((d) => `${d.kind} ${d.event}${d.match ? ` (${d.match})` : ''} ${d.file}:${d.line}${d.kind === 'subscribe' ? ` → ${d.handler}` : ''}`);
const flows = (result: Result) => result.topology.edges.filter((edge) => edge.kind === 'flow').map((edge) => `${edge.from} → ${edge.to}`);
const trigger = (result: Result, handler: string) =>
  result.handlers.find((h) => h.id === handler)?.triggers.map((t) => `${t.event}${t.when ? ` when ${t.when}` : ''}`);

describe('fixture redis-pubsub-ioredis: ioredis publishers, a message listener for several channels, a pattern subscriber class', async () => {
  const result = await analyzeFixture('redis-pubsub-ioredis');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('redis-pubsub-ioredis', result);
  });

  it('pairs subscribe(a, b) with the same client’s message listener, and psubscribe with its pmessage listener', () => {
    expect(declarations(result).filter((line) => line.startsWith('subscribe'))).toEqual([
      'subscribe chat:room:message src/fanout.ts:8 → src/fanout.ts#on@13',
      'subscribe chat:room:joined src/fanout.ts:8 → src/fanout.ts#on@13',
      'subscribe chat:presence* (glob) src/presence.ts:13 → src/presence.ts#PresenceTracker.onPresence',
    ]);
  });

  it('does not take ioredis’s (err, count) completion callback as a handler', () => {
    expect(result.handlers.map((h) => h.id)).not.toContain('src/fanout.ts#subscribe@8');
  });

  it('publishes on an imported client, a duplicate, and a class field, with constant and env-fallback names', () => {
    expect(declarations(result).filter((line) => line.startsWith('publish'))).toEqual([
      'publish chat:roster:changed src/fanout.ts:29',
      'publish chat:user:offline src/presence.ts:19',
      'publish chat:room:message src/rooms.ts:5',
      'publish chat:room:joined src/rooms.ts:9',
      'publish chat:presence src/rooms.ts:10',
    ]);
    expect(result.declarations.find((d) => d.event === 'chat:presence' && d.kind === 'publish')?.resolution).toBe('imported-constant');
  });

  it('counts a switch on the channel: the roster update follows only chat:room:joined', () => {
    expect(trigger(result, 'src/fanout.ts#on@13')).toEqual(['chat:roster:changed when chat:room:joined']);
    expect(flows(result)).toEqual(['event:chat:presence → event:chat:user:offline', 'event:chat:room:joined → event:chat:roster:changed']);
  });

  it('matches the glob pattern against published channels', () => {
    const presence = result.declarations.find((d) => d.match === 'glob')!;
    expect(result.topology.events.filter((e) => e.subscribers.includes(presence.id)).map((e) => e.id)).toEqual(['chat:presence']);
  });
});

describe('fixture redis-pubsub-node-redis: node-redis v4 listeners, arrays, pSubscribe, and a v3-style client', async () => {
  const result = await analyzeFixture('redis-pubsub-node-redis');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('redis-pubsub-node-redis', result);
  });

  it('takes node-redis v4’s listener argument as the handler, one subscription per channel of an array', () => {
    expect(declarations(result).filter((line) => line.startsWith('subscribe') && line.includes('src/main.ts'))).toEqual([
      'subscribe pricing:currency:updated src/main.ts:15 → src/main.ts#main/subscribe@15',
      'subscribe pricing:catalog:imported src/main.ts:20 → src/main.ts#main/subscribe@20',
      'subscribe pricing:catalog:cleared src/main.ts:20 → src/main.ts#main/subscribe@20',
      'subscribe inventory:* (glob) src/main.ts:24 → src/main.ts#onInventoryEvent',
    ]);
  });

  it('recognises clients from createClient(), .duplicate(), a RedisClientType parameter and require("redis").createClient()', () => {
    expect(declarations(result)).toContain('publish pricing:prices:recalculated src/prices.ts:5');
    expect(declarations(result)).toContain('subscribe pricing:legacy:sync src/legacy.js:10 → src/legacy.js#on@6');
    expect(flows(result)).toEqual(['event:pricing:currency:updated → event:pricing:prices:recalculated']);
  });

  it('does not count the client’s error listener or other commands', () => {
    expect(result.declarations.every((d) => d.transport === 'redis')).toBe(true);
    expect(result.declarations.some((d) => d.event.includes('version'))).toBe(false);
  });
});

describe('fixture redis-pubsub-lookalikes: GraphQL RedisPubSub, a websocket message listener, an in-memory bus', async () => {
  const result = await analyzeFixture('redis-pubsub-lookalikes');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('redis-pubsub-lookalikes', result);
  });

  it('declares only the real Redis subscription, and does not pair it with the websocket’s message listener', () => {
    expect(result.declarations.map((d) => `${d.kind} ${d.event} ${d.file}:${d.line}`)).toEqual(['subscribe feed:updated src/sockets.ts:14']);
    expect(result.handlers.map((h) => `${h.name}${h.unresolved ? ' unresolved' : ''}`)).toEqual(['(handler not found) unresolved']);
  });
});

describe('fixture redis-pubsub-services: a shared publisher class, a pattern dispatcher and a node-redis notifier', async () => {
  const result = await analyzeFixture('redis-pubsub-services');

  it('matches the expected declarations, handlers, edges and findings', () => {
    expectFixtureOutput('redis-pubsub-services', result);
  });

  it('lands the shared publisher’s publish at each call, in the caller’s service', () => {
    expect(result.declarations.filter((d) => d.kind === 'publish').map((d) => `${d.event} ${d.service} via ${d.wrapper}`)).toEqual([
      'drivers:assigned dispatch via packages/redis-bus/src/index.ts#RedisBus.publish',
      'rides:requested rides-api via packages/redis-bus/src/index.ts#RedisBus.publish',
      'rides:cancelled rides-api via packages/redis-bus/src/index.ts#RedisBus.publish',
    ]);
  });

  it('flows from rides:requested only (the handler branches on the channel), and connects three services', () => {
    expect(flows(result)).toEqual(['event:rides:requested → event:drivers:assigned']);
    expect(result.services.map((s) => s.name)).toEqual(['dispatch', 'notifier', 'rides-api']);
    expect(result.topology.edges.filter((e) => e.kind === 'subscribe').map((e) => `${e.from} → ${e.to}`)).toEqual([
      'event:drivers:assigned → handler:services/notifier/src/main.ts#main/subscribe@6',
      'event:rides:cancelled → handler:services/dispatch/src/main.ts#on@9',
      'event:rides:requested → handler:services/dispatch/src/main.ts#on@9',
    ]);
  });
});
