import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { ConfigError } from '../../src/config/types.js';
import type { Result } from '../../src/model/result.js';
import { schemaErrors } from '../helpers.js';
import { writeRepo } from './run-settings.js';

/**
 * Failures the fuzzer found, each minimised to the smallest repository that shows it. An `it.fails`
 * is a bug in a module this suite does not own: it documents the fix needed, and starts failing
 * (turn it into an `it`) once the fix lands.
 */

const base = mkdtempSync(path.join(tmpdir(), 'choreolint-fuzz-regressions-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let counter = 0;

function writeFiles(files: Record<string, string>): string {
  const dir = path.join(base, String(counter++));
  writeRepo(
    dir,
    Object.entries(files).map(([file, content]) => ({ path: file, content })),
  );
  return dir;
}

async function analyzeFiles(files: Record<string, string>): Promise<Result> {
  const result = await analyze({ dir: writeFiles(files) });
  expect(schemaErrors(result)).toEqual([]);
  return result;
}

/** What analyze() throws for a repository with this choreolint.yaml: a ConfigError, or the test fails. */
async function configErrorOf(config: string): Promise<ConfigError> {
  const error = await analyze({ dir: writeFiles({ 'package.json': kafkaPackage, 'choreolint.yaml': config }) }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

const declarations = (result: Result) =>
  result.declarations.map((d) => `${d.kind} ${d.event}${d.dynamic ? ' (dynamic)' : ''} ${d.file}:${d.line}:${d.column}${d.wrapper ? ` via ${d.wrapper}` : ''}`);

const kafkaPackage = JSON.stringify({ name: 'shop', dependencies: { kafkajs: '^2.2.4' } });
const kafkaWrapper = [
  "import { Kafka } from 'kafkajs';",
  "const producer = new Kafka({ clientId: 'shop', brokers: ['kafka:9092'] }).producer();",
  'export async function publishEvent(topic: string, payload: unknown): Promise<void> {',
  '  await producer.send({ topic, messages: [{ value: JSON.stringify(payload) }] });',
  '}',
  '',
].join('\n');

describe('wrappers', () => {
  it('instantiates a wrapper function imported under another name at its call sites', async () => {
    const result = await analyzeFiles({
      'package.json': kafkaPackage,
      'src/bus.ts': kafkaWrapper,
      'src/checkout.ts': [
        "import { publishEvent as publish } from './bus';",
        'export async function checkout(orderId: string): Promise<void> {',
        "  await publish('order.placed', { orderId });",
        '}',
        '',
      ].join('\n'),
    });
    expect(declarations(result)).toEqual(['publish order.placed src/checkout.ts:3:9 via src/bus.ts#publishEvent']);
  });

  it('declares each branch of a conditional passed to a wrapper, as for a direct call', async () => {
    const result = await analyzeFiles({
      'package.json': kafkaPackage,
      'src/bus.ts': kafkaWrapper,
      'src/checkout.ts': [
        "import { publishEvent } from './bus';",
        'export async function checkout(paid: boolean): Promise<void> {',
        "  await publishEvent(paid ? 'order.paid' : 'order.placed', {});",
        '}',
        '',
      ].join('\n'),
    });
    expect(declarations(result)).toEqual([
      'publish order.paid src/checkout.ts:3:9 via src/bus.ts#publishEvent',
      'publish order.placed src/checkout.ts:3:9 via src/bus.ts#publishEvent',
    ]);
  });

  it('instantiates a wrapper written as a method of an exported object, default or named', async () => {
    const result = await analyzeFiles({
      'package.json': kafkaPackage,
      'src/bus.ts': [
        "import { Kafka } from 'kafkajs';",
        "const producer = new Kafka({ clientId: 'shop', brokers: ['kafka:9092'] }).producer();",
        'export const kafkaEvents = {',
        '  async publish(topic: string, payload: unknown): Promise<void> {',
        '    await producer.send({ topic, messages: [{ value: JSON.stringify(payload) }] });',
        '  },',
        '};',
        'export default {',
        '  audit: {',
        '    async record(topic: string): Promise<void> {',
        "      await producer.send({ topic, messages: [{ value: 'audit' }] });",
        '    },',
        '  },',
        '};',
        '',
      ].join('\n'),
      'src/checkout.ts': [
        "import events, { kafkaEvents } from './bus';",
        'export async function checkout(orderId: string): Promise<void> {',
        "  await kafkaEvents.publish('order.placed', { orderId });",
        "  await events.audit.record('order.audited');",
        '}',
        '',
      ].join('\n'),
    });
    expect(declarations(result)).toEqual([
      'publish order.placed src/checkout.ts:3:9 via src/bus.ts#kafkaEvents.publish',
      'publish order.audited src/checkout.ts:4:9 via src/bus.ts#default.audit.record',
    ]);
  });
});

describe('event names', () => {
  it('reports an event name that resolves to the empty string as unresolved, in a valid result document', async () => {
    const result = await analyzeFiles({
      'package.json': kafkaPackage,
      'src/topics.ts': "export const ORDER_TOPIC = '';\n",
      'src/orders.ts': [
        "import { ORDER_TOPIC } from './topics';",
        'export async function placeOrder(): Promise<void> {',
        '  await producer.send({ topic: ORDER_TOPIC, messages: [] });',
        "  await producer.send({ topic: '', messages: [] });",
        '}',
        '',
      ].join('\n'),
    });
    expect(declarations(result)).toEqual(['publish * (dynamic) src/orders.ts:3:9', 'publish * (dynamic) src/orders.ts:4:9']);
    expect(result.findings.map((finding) => `${finding.ruleId} ${finding.location.line}`)).toContain('unresolved-event-name 3');
  });
});

describe('constants', () => {
  it('resolves a name destructured at module level from an imported object of topics', async () => {
    const result = await analyzeFiles({
      'package.json': kafkaPackage,
      'src/topics.ts': "export const Topics = { ORDER_PLACED: 'order.placed', ORDER_PAID: 'order.paid' } as const;\n",
      'src/orders.ts': [
        "import { Topics } from './topics';",
        'const { ORDER_PLACED, ORDER_PAID: PAID } = Topics;',
        'export async function placeOrder(): Promise<void> {',
        '  await producer.send({ topic: ORDER_PLACED, messages: [] });',
        '  await producer.send({ topic: PAID, messages: [] });',
        '}',
        '',
      ].join('\n'),
    });
    expect(declarations(result)).toEqual(['publish order.placed src/orders.ts:4:9', 'publish order.paid src/orders.ts:5:9']);
  });

  it('resolves a name destructured inside a function from an imported object of topics', async () => {
    const result = await analyzeFiles({
      'package.json': kafkaPackage,
      'src/topics.ts': "export const Topics = { ORDER_PLACED: 'order.placed' } as const;\n",
      'src/orders.ts': [
        "import { Topics } from './topics';",
        'export async function placeOrder(): Promise<void> {',
        '  const { ORDER_PLACED } = Topics;',
        '  await producer.send({ topic: ORDER_PLACED, messages: [] });',
        '}',
        '',
      ].join('\n'),
    });
    expect(declarations(result)).toEqual(['publish order.placed src/orders.ts:4:9']);
  });

  it('gives up on a name destructured from itself instead of recursing forever', async () => {
    const result = await analyzeFiles({
      'package.json': kafkaPackage,
      'src/orders.ts': [
        'export async function placeOrder(): Promise<void> {',
        '  const { ORDER_PLACED } = ORDER_PLACED;',
        '  await producer.send({ topic: ORDER_PLACED, messages: [] });',
        '}',
        '',
      ].join('\n'),
    });
    expect(declarations(result)).toEqual(['publish * (dynamic) src/orders.ts:3:9']);
  });

  it('resolves an enum member initialized with another member of the same enum, by its bare name or qualified', async () => {
    const result = await analyzeFiles({
      'package.json': kafkaPackage,
      'src/topics.ts': [
        'export enum OrderTopic {',
        "  Placed = 'order.placed',",
        '  Legacy = Placed,',
        '  Qualified = OrderTopic.Placed,',
        "  Retried = `${Placed}.retried`,",
        '}',
        '',
      ].join('\n'),
      'src/orders.ts': [
        "import { OrderTopic } from './topics';",
        'export async function placeOrder(): Promise<void> {',
        '  await producer.send({ topic: OrderTopic.Legacy, messages: [] });',
        '  await producer.send({ topic: OrderTopic.Qualified, messages: [] });',
        '  await producer.send({ topic: OrderTopic.Retried, messages: [] });',
        '}',
        '',
      ].join('\n'),
    });
    expect(declarations(result)).toEqual([
      'publish order.placed src/orders.ts:3:9',
      'publish order.placed src/orders.ts:4:9',
      'publish order.placed.retried src/orders.ts:5:9',
    ]);
  });
});

describe('EventEmitter receivers', () => {
  it('recognises an emitter constructed through a namespace import or the default export', async () => {
    const result = await analyzeFiles({
      'package.json': JSON.stringify({ name: 'shop' }),
      'src/orders.ts': [
        "import * as events from 'node:events';",
        "import EventEmitterModule from 'events';",
        'const bus = new events.EventEmitter();',
        'const audit = new EventEmitterModule.EventEmitter();',
        'export function placeOrder(orderId: string): void {',
        "  bus.emit('order.placed', orderId);",
        "  audit.emit('order.audited', orderId);",
        '}',
        '',
      ].join('\n'),
    });
    expect(declarations(result)).toEqual(['publish order.placed src/orders.ts:6:3', 'publish order.audited src/orders.ts:7:3']);
  });
});

describe('NestJS patterns in a conditional', () => {
  it('reads each branch as the pattern it is: an object pattern, an EventEmitter2 namespace array', async () => {
    const result = await analyzeFiles({
      'package.json': JSON.stringify({ name: 'shop', dependencies: { '@nestjs/microservices': '^10.4.15', '@nestjs/event-emitter': '^2.1.1' } }),
      'src/orders.service.ts': [
        "import { ClientProxy } from '@nestjs/microservices';",
        "import { EventEmitter2 } from '@nestjs/event-emitter';",
        'export class OrdersService {',
        '  constructor(private readonly client: ClientProxy, private readonly events: EventEmitter2) {}',
        '  place(retry: boolean): void {',
        "    this.client.emit(retry ? { cmd: 'order.retried' } : 'order.placed', {});",
        "    this.events.emit(retry ? ['order', 'retried'] : 'order.placed', {});",
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    expect(declarations(result)).toEqual([
      'publish order.placed src/orders.service.ts:6:5',
      'publish {"cmd":"order.retried"} src/orders.service.ts:6:5',
      'publish order.placed src/orders.service.ts:7:5',
      'publish order.retried src/orders.service.ts:7:5',
    ]);
  });
});

describe('the text prefilter', () => {
  it('finds a client call written with a space before its parenthesis', async () => {
    const result = await analyzeFiles({
      'package.json': kafkaPackage,
      'src/orders.ts': [
        "import { Kafka } from 'kafkajs';",
        "const producer = new Kafka({ clientId: 'shop', brokers: ['kafka:9092'] }).producer();",
        'export async function placeOrder(orderId: string): Promise<void> {',
        "  await producer.send ({ topic: 'order.placed', messages: [{ value: orderId }] });",
        '}',
        '',
      ].join('\n'),
    });
    expect(declarations(result)).toEqual(['publish order.placed src/orders.ts:4:9']);
  });

  it('finds the call sites of a wrapper written with a space before the parenthesis', async () => {
    const result = await analyzeFiles({
      'package.json': kafkaPackage,
      'src/bus.ts': kafkaWrapper,
      'src/checkout.ts': [
        "import { publishEvent } from './bus';",
        'export async function checkout(orderId: string): Promise<void> {',
        "  await publishEvent ('order.placed', { orderId });",
        '}',
        '',
      ].join('\n'),
    });
    expect(declarations(result)).toEqual(['publish order.placed src/checkout.ts:3:9 via src/bus.ts#publishEvent']);
  });
});

describe('configs', () => {
  it('rejects an alias to an undefined anchor with a ConfigError at the alias, not a ReferenceError', async () => {
    const error = await configErrorOf('rules:\n  event-cycle: *severity\n');
    expect(error.format('choreolint.yaml')).toBe(
      'choreolint.yaml:2:16: invalid YAML: Unresolved alias (the anchor must be set before the alias): severity',
    );
  });
});

describe('configs with a collection as a key', () => {
  it('rejects it with a one-line ConfigError at the key', async () => {
    const error = await configErrorOf('rules:\n  ? - allow: [{ events: [order.placed, payment.failed], reason: a retry that is bounded }]\n  : fatal\n');
    expect(error.format('choreolint.yaml')).toBe('choreolint.yaml:2:5: invalid config: a key must be a plain name, not a list or a mapping');
  });
});

describe('line numbers', () => {
  // TypeScript's line map also breaks at U+2028/U+2029 (legal inside strings) and a lone "\r"; lines
  // are counted by "\n" only, as git, GitHub annotations, SARIF viewers and suppressions.ts do.
  it('counts a U+2028 inside a string literal as part of its line, so its suppression comment applies', async () => {
    const result = await analyzeFiles({
      'package.json': kafkaPackage,
      'src/orders.ts': [
        "const SEPARATOR = 'a\u2028b';",
        'export async function placeOrder(): Promise<void> {',
        '  // choreolint-disable-next-line orphan-event -- consumed by another team',
        "  await producer.send({ topic: 'order.placed', messages: [{ value: SEPARATOR }] });",
        '}',
        '',
      ].join('\n'),
    });
    expect(declarations(result)).toEqual(['publish order.placed src/orders.ts:4:9']);
    expect(result.findings.map((finding) => finding.ruleId)).toEqual([]);
    expect(result.stats.suppressed).toBe(1);
  });
});

describe('manifests', () => {
  it('names the tsconfig whose `extends` points at a missing file', async () => {
    const result = await analyzeFiles({
      'package.json': JSON.stringify({ name: 'shop' }),
      'tsconfig.json': '{\n  "extends": "./tsconfig.base.json"\n}\n',
      'src/orders.ts': 'export const orders = 1;\n',
    });
    expect(result.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}`)).toEqual(['manifest-error tsconfig.json:2']);
    expect(result.diagnostics[0]!.message).toMatch(/tsconfig\.base\.json/);
  });

  it('reports a broken tsconfig once, however many tsconfigs extend it', async () => {
    const result = await analyzeFiles({
      'package.json': JSON.stringify({ name: 'shop', workspaces: ['services/*'] }),
      'tsconfig.json': '{ "compilerOptions": ',
      'services/orders/package.json': JSON.stringify({ name: 'orders' }),
      'services/orders/tsconfig.json': '{ "extends": "../../tsconfig.json" }\n',
      'services/payments/package.json': JSON.stringify({ name: 'payments' }),
      'services/payments/tsconfig.json': '{ "extends": "../../tsconfig.json" }\n',
    });
    expect(result.diagnostics.map((d) => `${d.code} ${d.file}:${d.line} ${d.message}`)).toEqual(['manifest-error tsconfig.json:1 invalid JSON']);
  });
});

describe('method names that are also Object.prototype properties', () => {
  it('`bus.constructor(…)`, `client.toString()` and `emitter.hasOwnProperty(…)` are plain calls, not a crash of the NestJS adapters', async () => {
    const result = await analyzeFiles({
      'package.json': JSON.stringify({ name: 'shop', dependencies: { '@nestjs/cqrs': '^10.0.0', '@nestjs/microservices': '^10.0.0', '@nestjs/event-emitter': '^2.0.0' } }),
      'src/orders.ts': [
        "import { EventBus } from '@nestjs/cqrs';",
        "import { ClientProxy } from '@nestjs/microservices';",
        "import { EventEmitter2 } from '@nestjs/event-emitter';",
        'export class Orders {',
        '  constructor(private readonly bus: EventBus, private readonly client: ClientProxy, private readonly emitter: EventEmitter2) {}',
        '  place(): void {',
        "    this.bus.constructor('x');",
        "    this.client.toString('x');",
        "    this.emitter.hasOwnProperty('x', () => undefined);",
        "    this.client.emit('orders.placed', {});",
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    expect(result.diagnostics).toEqual([]);
    expect(declarations(result)).toEqual(['publish orders.placed src/orders.ts:10:5']);
  });
});
