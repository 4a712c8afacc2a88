import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configureRules } from '../../src/check/configure.js';
import { runRules } from '../../src/check/run.js';
import type { Finding, Result } from '../../src/model/result.js';
import { topologyOf, type HandlerSpec } from '../rules/topology-builder.js';
import { runCliProcess } from './support/cli-process.js';

/**
 * Topologies no team writes but a generator, a bad merge or an attacker can: a complete digraph
 * (more than 10^30 elementary cycles), 10,000 events in dense strongly connected components, a deep
 * layered graph full of failures. Each run ends in bounded time and memory (the CLI runs under a
 * heap limit) and reports event cycles once per strongly connected component.
 */
const scratch = mkdtempSync(path.join(tmpdir(), 'choreolint-graphs-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** `nodes` kafkajs services, one folder each; the handler of each one's event publishes every other event. */
function completeDigraphRepository(dir: string, nodes: number): void {
  const event = (i: number) => `node${String(i).padStart(2, '0')}.changed`;
  for (let i = 0; i < nodes; i++) {
    const name = `node-${String(i).padStart(2, '0')}`;
    write(path.join(dir, 'services', name, 'package.json'), `${JSON.stringify({ name, version: '1.0.0', dependencies: { kafkajs: '^2.2.4' } })}\n`);
    const sends = Array.from({ length: nodes }, (_, j) => j).filter((j) => j !== i).map((j) => `      await producer.send({ topic: '${event(j)}', messages: [message] });`);
    write(
      path.join(dir, 'services', name, 'src', 'main.ts'),
      [
        "import { Kafka } from 'kafkajs';",
        `const kafka = new Kafka({ clientId: '${name}', brokers: ['kafka:9092'] });`,
        'export async function start(): Promise<void> {',
        '  const producer = kafka.producer();',
        `  const consumer = kafka.consumer({ groupId: '${name}' });`,
        `  await consumer.subscribe({ topic: '${event(i)}' });`,
        '  await consumer.run({',
        '    eachMessage: async ({ message }) => {',
        ...sends,
        '    },',
        '  });',
        '}',
        '',
      ].join('\n'),
    );
  }
}

/** One file per component of EventEmitter handlers: `size` events on a ring, each with two chords. */
function componentsRepository(dir: string, components: number, size: number): void {
  write(path.join(dir, 'package.json'), '{ "name": "dense-components", "private": true }\n');
  write(path.join(dir, 'src', 'bus.ts'), "import { EventEmitter } from 'node:events';\nexport const bus = new EventEmitter();\n");
  const event = (component: number, i: number) => `c${String(component).padStart(3, '0')}.e${String(i).padStart(4, '0')}`;
  for (let c = 0; c < components; c++) {
    const lines = ["import { bus } from './bus';", ''];
    for (let i = 0; i < size; i++) {
      lines.push(`bus.on('${event(c, i)}', () => {`);
      for (const j of [(i + 1) % size, (i * 7 + 3) % size, (i * 13 + 5) % size]) lines.push(`  bus.emit('${event(c, j)}');`);
      lines.push('});');
    }
    write(path.join(dir, 'src', `component-${String(c).padStart(3, '0')}.ts`), `${lines.join('\n')}\n`);
  }
}

/** The stage times that `check --debug` prints, in milliseconds. */
function stageTimes(stderr: string): Record<string, number> {
  const line = stderr.split('\n').find((text) => text.includes(' ms, '));
  return Object.fromEntries([...(line ?? '').matchAll(/([a-z ]+) (\d+) ms/g)].map((match) => [match[1]!.replace(/^choreolint: /, '').trim(), Number(match[2])]));
}

function checkUnderHeapLimit(dir: string, heapMegabytes: number) {
  return runCliProcess(['check', dir, '--format', 'json', '--debug'], { nodeFlags: [`--max-old-space-size=${heapMegabytes}`] });
}

const byRule = (findings: readonly Finding[], ruleId: string) => findings.filter((finding) => finding.ruleId === ruleId);

describe.concurrent('through the whole pipeline', () => {
  it('a complete digraph on 30 services: one event cycle and one service cycle, each with all 30, under a 128 MB heap', async ({ expect }) => {
    const dir = path.join(scratch, 'complete-digraph');
    completeDigraphRepository(dir, 30);
    const started = performance.now();
    const run = await checkUnderHeapLimit(dir, 128);
    const seconds = (performance.now() - started) / 1000;
    expect(run.status).toBe(1);
    const result = JSON.parse(run.stdout) as Result;
    expect(result.stats).toMatchObject({ declarations: 900, events: 30, handlers: 30, services: 30 });
    const [cycle, ...moreCycles] = byRule(result.findings, 'event-cycle');
    expect(moreCycles).toEqual([]);
    expect(cycle!.message).toBe('Event cycle (ping-pong): node00.changed → node01.changed → node00.changed; 30 events are in this cycle, the shortest loop is shown');
    expect((cycle!.data as { members: string[] }).members).toHaveLength(30);
    const [serviceCycle, ...moreServiceCycles] = byRule(result.findings, 'service-cycle');
    expect(moreServiceCycles).toEqual([]);
    expect(serviceCycle!.message).toBe('Service cycle: node-00 →(node01.changed) node-01 →(node00.changed) node-00; 30 services are in this cycle');
    expect(stageTimes(run.stderr).check).toBeLessThan(2_000);
    expect(seconds).toBeLessThan(20);
  }, 60_000);

  it('10,000 events in 100 dense components: exactly 100 event cycles of 100 events each, under a 384 MB heap', async ({ expect }) => {
    const dir = path.join(scratch, 'components');
    componentsRepository(dir, 100, 100);
    const started = performance.now();
    const run = await checkUnderHeapLimit(dir, 384);
    const seconds = (performance.now() - started) / 1000;
    expect(run.status).toBe(1);
    const result = JSON.parse(run.stdout) as Result;
    expect(result.stats).toMatchObject({ declarations: 40_000, events: 10_000, handlers: 10_000 });
    const cycles = byRule(result.findings, 'event-cycle');
    expect(cycles).toHaveLength(100);
    expect(cycles.map((finding) => (finding.data as { members: string[] }).members.length)).toEqual(Array.from({ length: 100 }, () => 100));
    expect(cycles.every((finding) => finding.message.endsWith('; 100 events are in this cycle, the shortest loop is shown'))).toBe(true);
    expect(new Set(cycles.map((finding) => (finding.data as { members: string[] }).members[0]!.slice(0, 4))).size).toBe(100);
    const stages = stageTimes(run.stderr);
    expect(stages.check).toBeLessThan(3_000);
    expect(seconds).toBeLessThan(30);
  }, 60_000);
});

describe('the rules on generated topologies', () => {
  const { rules } = configureRules({});
  const timed = (specs: HandlerSpec[]) => {
    const topology = topologyOf(specs);
    const started = performance.now();
    const { findings } = runRules(topology, rules);
    return { findings, seconds: (performance.now() - started) / 1000 };
  };

  it('one strongly connected component of 10,000 events, one in ten a failure: one event cycle, in bounded time', () => {
    const size = 10_000;
    const event = (i: number) => `orders.step${String(i).padStart(5, '0')}.${i % 10 === 0 ? 'failed' : 'done'}`;
    const specs: HandlerSpec[] = Array.from({ length: size }, (_, i) => [`service-${i % 50}`, `on${i}`, event(i), [event((i + 1) % size), event((i * 37 + 11) % size), event((i * 101 + 7) % size)]]);
    const { findings, seconds } = timed(specs);
    const [cycle, ...more] = byRule(findings, 'event-cycle');
    expect(more).toEqual([]);
    expect((cycle!.data as { members: string[] }).members).toHaveLength(size);
    expect(cycle!.message).toMatch(/; 10000 events are in this cycle, the shortest loop is shown$/);
    expect(byRule(findings, 'missing-compensation')).toEqual([]);
    expect(byRule(findings, 'service-cycle')).toHaveLength(1);
    expect(seconds).toBeLessThan(5);
  }, 30_000);

  it('10 layers of 200 events, the last all failures: every missing compensation found, each finding bounded', () => {
    const layers = 10;
    const width = 200;
    const event = (layer: number, i: number) => `layer${layer}.e${String(i).padStart(4, '0')}.${layer === layers - 1 ? 'failed' : 'done'}`;
    const specs: HandlerSpec[] = [
      ...Array.from({ length: width }, (_, i): HandlerSpec => ['gateway', `accept${i}`, null, [event(0, i)]]),
      ...Array.from({ length: (layers - 1) * width }, (_, n): HandlerSpec => {
        const layer = Math.floor(n / width);
        const i = n % width;
        return [`service-${n % 200}`, `on${n}`, event(layer, i), [0, 1, 2].map((j) => event(layer + 1, (i * 31 + j * 17) % width))];
      }),
    ];
    const { findings, seconds } = timed(specs);
    const missing = byRule(findings, 'missing-compensation');
    expect(missing).toHaveLength(4_990);
    expect(Math.max(...missing.map((finding) => (finding.data as { failures: string[] }).failures.length))).toBe(5);
    expect(Math.max(...missing.map((finding) => finding.related.length))).toBeLessThanOrEqual(5 * layers);
    expect(missing.filter((finding) => / or 95\+ more failures can occur; /.test(finding.message)).length).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(30);
  }, 60_000);
});

describe('regular expressions from the analyzed code', () => {
  it('a subscription pattern that backtracks exponentially cannot hang the run', async () => {
    const dir = path.join(scratch, 'redos');
    const evil = `${'a'.repeat(40)}!`;
    write(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'redos', private: true, dependencies: { kafkajs: '^2.2.4' } })}\n`);
    write(
      path.join(dir, 'src', 'consumer.ts'),
      [
        "import { Kafka } from 'kafkajs';",
        "const kafka = new Kafka({ clientId: 'consumer', brokers: ['kafka:9092'] });",
        'export async function start(): Promise<void> {',
        "  const consumer = kafka.consumer({ groupId: 'consumer' });",
        '  await consumer.subscribe({ topics: [/^(a+)+$/, /^(a+)+$/i, /^(?!internal)(a|aa)*$/] });',
        '  await consumer.run({ eachMessage: async () => {} });',
        '}',
        '',
      ].join('\n'),
    );
    write(
      path.join(dir, 'src', 'producer.ts'),
      [
        "import { Kafka } from 'kafkajs';",
        "const producer = new Kafka({ clientId: 'producer', brokers: ['kafka:9092'] }).producer();",
        'export async function publish(): Promise<void> {',
        `  await producer.send({ topic: '${evil}', messages: [] });`,
        "  await producer.send({ topic: 'aaaa', messages: [] });",
        '}',
        '',
      ].join('\n'),
    );
    const started = performance.now();
    const run = await runCliProcess(['check', dir, '--format', 'json']);
    const seconds = (performance.now() - started) / 1000;
    const result = JSON.parse(run.stdout) as Result;
    // The first runs on V8's linear-time engine; the two it cannot run could backtrack without bound, and match nothing.
    expect(result.topology.events.map((event) => `${event.name}: ${event.subscribers.length}`)).toEqual(['aaaa: 1', `${evil}: 0`]);
    expect(seconds).toBeLessThan(10);
  }, 30_000);
});
