import dns from 'node:dns';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Parser } from '@asyncapi/parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import type { Result } from '../src/model/result.js';
import { renderAsyncApi } from '../src/report/asyncapi.js';
import { fixture, ROOT, schemaErrors } from './helpers.js';

/**
 * The real AsyncAPI documents of ../shared/corpus (beside the checkout; in this workplace also at
 * /work/shared): read from there, never copied.
 */
const CORPUS =
  [path.join(ROOT, '..', 'shared', 'corpus', 'asyncapi'), '/work/shared/corpus/asyncapi'].find((candidate) => existsSync(candidate)) ??
  path.join(ROOT, '..', 'shared', 'corpus', 'asyncapi');
const SPEC = path.join(CORPUS, 'asyncapi__spec');

/** Every connection or lookup attempted while a test runs; any at all fails it. */
const attempts: string[] = [];
const originals = { connect: net.Socket.prototype.connect, lookup: dns.lookup, promisesLookup: dns.promises.lookup };

beforeAll(() => {
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    attempts.push(`connect ${JSON.stringify(args[0])}`);
    throw new Error('network access attempted');
  } as unknown as typeof net.Socket.prototype.connect;
  dns.lookup = ((hostname: string) => {
    attempts.push(`lookup ${hostname}`);
    throw new Error('network access attempted');
  }) as unknown as typeof dns.lookup;
  dns.promises.lookup = (async (hostname: string) => {
    attempts.push(`lookup ${hostname}`);
    throw new Error('network access attempted');
  }) as unknown as typeof dns.promises.lookup;
});

afterAll(() => {
  net.Socket.prototype.connect = originals.connect;
  dns.lookup = originals.lookup;
  dns.promises.lookup = originals.promisesLookup;
});

function topologyShape(result: Result) {
  const byId = new Map(result.declarations.map((d) => [d.id, d]));
  return {
    services: result.services.map((service) => service.name),
    events: result.topology.events.map((event) => `${event.id}: ${event.publishers.map((id) => byId.get(id)!.service).join(', ')} → ${event.subscribers.map((id) => byId.get(id)!.service).join(', ')}`),
    declarations: result.declarations.map((d) => `${d.service} ${d.kind} ${d.event}${d.match ? ` (${d.match})` : ''}`).sort(),
  };
}

describe('the AsyncAPI corpus', () => {
  it('the interceptor sees a connection attempt (so the tests below can fail)', () => {
    expect(() => net.connect(9, '127.0.0.1')).toThrow('network access attempted');
    expect(attempts.splice(0)).toEqual(['connect [{"port":9,"host":"127.0.0.1"},null]']);
  });

  it('the 2.6 and 3.1 social-media documents give the same topology', async () => {
    const v2 = await analyze({ dir: path.join(SPEC, 'v2.6.0', 'social-media') });
    const v3 = await analyze({ dir: path.join(SPEC, 'v3', 'social-media') });
    expect(schemaErrors(v2)).toEqual([]);
    expect(topologyShape(v3)).toEqual(topologyShape(v2));
    expect(topologyShape(v2).events).toEqual([
      'comment/liked: Website Backend → Comments Service, Notifications Service, Public API',
      'comment/{commentId}/changed: Comments Service → Website Backend',
      'like/comment: Website WebSocket Client → Website Backend',
      'update/comment/likes: Website Backend → Website WebSocket Client',
    ]);
    expect(v2.diagnostics).toEqual([]);
    expect(attempts).toEqual([]);
  }, 60_000);

  it('refuses the remote $refs of the ADEO request/reply document without opening a socket', async () => {
    const result = await analyze({ dir: path.join(SPEC, 'v3'), config: { asyncapi: { documents: ['adeo-kafka-request-reply-asyncapi.yml'] } } });
    expect(result.diagnostics.map((d) => `${d.code} ${d.file}:${d.line} ${d.message}`)).toEqual([
      'asyncapi-ref-refused adeo-kafka-request-reply-asyncapi.yml:174 $ref to https://www.asyncapi.com/resources/casestudies/adeo/CostingRequestPayload.avsc refused: choreolint never fetches over the network',
      'asyncapi-ref-refused adeo-kafka-request-reply-asyncapi.yml:204 $ref to https://www.asyncapi.com/resources/casestudies/adeo/CostingResponsePayload.avsc refused: choreolint never fetches over the network',
    ]);
    expect(result.declarations.length).toBeGreaterThan(0);
    expect(attempts).toEqual([]);
  }, 60_000);

  it('parses the 669 KB ZBOS document (575 channels) within the budget', async () => {
    const started = performance.now();
    const result = await analyze({ dir: path.join(CORPUS, 'asyncapi__parser-js', 'test', 'good') });
    const seconds = (performance.now() - started) / 1000;
    expect(result.diagnostics).toEqual([]);
    expect(result.declarations).toHaveLength(575);
    expect(seconds).toBeLessThan(15);
    expect(attempts).toEqual([]);
  }, 60_000);

  it('reads the fixtures with refused references without a connection attempt', async () => {
    await analyze({ dir: fixture('asyncapi-refs') });
    expect(attempts).toEqual([]);
  }, 60_000);
});

describe('choreolint asyncapi: a document written from code', () => {
  it('is a valid AsyncAPI 3.0 document with a channel and an operation per event, and the source sites', async () => {
    const result = await analyze({ dir: fixture('shop') });
    const text = renderAsyncApi(result, 'payment-service');
    const { document, diagnostics } = await new Parser().parse(text);
    expect(diagnostics.filter((diagnostic) => diagnostic.severity === 0)).toEqual([]);
    expect(document!.operations().all().map((operation) => `${operation.action()} ${operation.channels().all()[0]!.address()}`)).toEqual([
      'receive shop.order.cancelled',
      'receive shop.order.placed',
      'send shop.payment.completed',
      'send shop.payment.failed',
      'send shop.payment.refunded',
    ]);
    expect(document!.operations().all()[1]!.extensions().get('x-choreolint-sources')?.value()).toEqual([
      { file: 'services/payment/src/main.ts', line: 15, framework: 'kafkajs' },
    ]);
  }, 60_000);
});
