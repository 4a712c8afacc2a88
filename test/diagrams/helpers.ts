import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { expect } from 'vitest';
import { RESULT_VERSION, type Declaration, type Finding, type Handler, type Result, type TopologyEdge, type TopologyEvent } from '../../src/model/result.js';
import { FIXTURES, ROOT } from '../helpers.js';

/** `fixtures/<name>.expected.<view>.<ext>`; UPDATE_EXPECTED=1 rewrites it (review the diff line by line). */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(FIXTURES, name);
  if (process.env.UPDATE_EXPECTED === '1') writeFileSync(file, actual);
  if (!existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: run with UPDATE_EXPECTED=1 and review it`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

export interface SyntheticEvent {
  name: string;
  publishers: string[];
  /** Consumers as `service` (a handler named `on<event>` is made for each). */
  consumers: string[];
  /** Events the consumers' handlers publish in turn. */
  then?: string[];
}

/**
 * A result document built in memory: services with the given folders, events with their
 * publishers and consumers, handlers that publish the `then` events, and the topology edges the
 * graph stage would derive (publish, subscribe, trigger, flow).
 */
export function syntheticResult(options: { services: Array<{ name: string; path: string }>; events: SyntheticEvent[]; findings?: Finding[] }): Result {
  const declarations: Declaration[] = [];
  const handlers = new Map<string, Handler>();
  const edges: TopologyEdge[] = [];
  const events = new Map<string, TopologyEvent>();
  const declare = (kind: 'publish' | 'subscribe', event: string, service: string, extra: Partial<Declaration> = {}): Declaration => {
    const declaration: Declaration = {
      id: `${service}/src/main.ts:${declarations.length + 1}:1:${kind}:${event}`,
      kind,
      event,
      service,
      framework: 'kafkajs',
      transport: 'kafka',
      resolution: 'literal',
      dynamic: false,
      file: `${service}/src/main.ts`,
      line: declarations.length + 1,
      column: 1,
      ...extra,
    };
    declarations.push(declaration);
    return declaration;
  };
  const eventOf = (name: string) => {
    let event = events.get(name);
    if (!event) {
      event = { id: name, name, transports: ['kafka'], publishers: [], subscribers: [] };
      events.set(name, event);
    }
    return event;
  };
  for (const spec of options.events) {
    const event = eventOf(spec.name);
    for (const service of spec.publishers) {
      const publish = declare('publish', spec.name, service);
      event.publishers.push(publish.id);
      edges.push({ kind: 'publish', from: `service:${service}`, to: `event:${spec.name}`, declaration: publish.id });
    }
    for (const service of spec.consumers) {
      const handlerId = `${service}/src/main.ts#on${spec.name}`;
      const subscribe = declare('subscribe', spec.name, service, { handler: handlerId });
      event.subscribers.push(subscribe.id);
      const handler: Handler = { id: handlerId, name: `on${spec.name}`, service, file: `${service}/src/main.ts`, line: 1, column: 1, subscribes: [subscribe.id], triggers: [] };
      handlers.set(handlerId, handler);
      edges.push({ kind: 'subscribe', from: `event:${spec.name}`, to: `handler:${handlerId}`, declaration: subscribe.id });
      for (const next of spec.then ?? []) {
        const publish = declare('publish', next, service, { function: handler.name });
        eventOf(next).publishers.push(publish.id);
        handler.triggers.push({ declaration: publish.id, event: next, via: [] });
        edges.push({ kind: 'publish', from: `service:${service}`, to: `event:${next}`, declaration: publish.id });
        edges.push({ kind: 'trigger', from: `handler:${handlerId}`, to: `event:${next}`, declaration: publish.id });
        edges.push({ kind: 'flow', from: `event:${spec.name}`, to: `event:${next}`, declaration: publish.id, handler: handlerId });
      }
    }
  }
  const byName = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    version: RESULT_VERSION,
    tool: { name: 'choreolint', version: 'test' },
    repository: 'synthetic',
    services: options.services.map((service) => ({ ...service, source: 'package' as const })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    declarations: declarations.sort(byName),
    routes: [],
    handlers: [...handlers.values()].sort(byName),
    topology: { events: [...events.values()].sort(byName), edges },
    findings: options.findings ?? [],
    diagnostics: [],
    stats: { files: 0, filesParsed: 0, declarations: declarations.length, events: events.size, handlers: handlers.size, services: options.services.length, suppressed: 0 },
  };
}

export function finding(ruleId: string, data: Record<string, unknown>, severity: 'error' | 'warn' = 'warn'): Finding {
  return { ruleId, severity, message: `${ruleId} finding`, location: { file: 'src/main.ts', line: 1, column: 1 }, related: [], fingerprint: ruleId, docs: `https://example.invalid/docs/rules/${ruleId}.md`, data };
}

/**
 * Every line of a flowchart is one of the statements the renderer writes, with quoted labels that
 * hold no raw quote, `<`, `>`, `#` (other than entity codes) or `;`: what Mermaid would misparse.
 */
export function mermaidFlowchartProblems(text: string): string[] {
  const id = '[A-Za-z][A-Za-z0-9_]*';
  const label = '"(?:[^"#<>;]|#[a-z0-9]+;|<br/>)*"';
  const statements = [
    /^flowchart LR$/,
    /^ {2}%% .*$/,
    new RegExp(`^ {2}${id}(?:\\[${label}\\]|\\(\\[${label}\\]\\)|\\[/${label}/\\]|\\[\\[${label}\\]\\]|\\{\\{${label}\\}\\})$`),
    new RegExp(`^ {2}${id} (?:-->|==>|-\\.->)(?:\\|${label}\\|)? ${id}$`),
    /^ {2}subgraph legend\["Legend"\]$/,
    /^ {4}direction TB$/,
    new RegExp(`^ {4}${id}\\[${label}\\]$`),
    /^ {2}end$/,
    /^ {2}classDef [A-Za-z]+ [a-z-]+:[^,\s]+(?: \d+)?(?:,[a-z-]+:[^,\s]+(?: \d+)?)*$/,
    new RegExp(`^ {2}class ${id}(?:,${id})* [A-Za-z]+$`),
    /^ {2}linkStyle \d+(?:,\d+)* [a-z-]+:[^,\s]+(?: \d+)?(?:,[a-z-]+:[^,\s]+(?: \d+)?)*$/,
  ];
  const lines = text.split('\n');
  const problems: string[] = [];
  if (lines.pop() !== '') problems.push('no final newline');
  lines.forEach((line, index) => {
    if (!statements.some((statement) => statement.test(line))) problems.push(`${index + 1}: ${line}`);
  });
  return problems;
}

/** The number of edges in a flowchart: the lines Mermaid counts against maxEdges. */
export function mermaidEdgeCount(text: string): number {
  return text.split('\n').filter((line) => / (?:-->|==>|-\.->)(?:\|"[^"]*"\|)? /.test(line)).length;
}

/** A PNG's pixels as RGBA bytes: 8-bit RGB or RGBA, not interlaced (what Chromium writes). */
export function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  let offset = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const chunk = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = chunk.readUInt32BE(0);
      height = chunk.readUInt32BE(4);
      if (chunk[8] !== 8 || chunk[12] !== 0) throw new Error('only 8-bit, non-interlaced PNGs');
      colorType = chunk[9]!;
    } else if (type === 'IDAT') data.push(chunk);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  const channels = colorType === 6 ? 4 : colorType === 2 ? 3 : 0;
  if (channels === 0) throw new Error(`PNG colour type ${colorType} is not supported`);
  const raw = inflateSync(Buffer.concat(data));
  const stride = width * channels;
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const up = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const upLeft = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const estimate = left + up - upLeft;
        const [a, b, c] = [Math.abs(estimate - left), Math.abs(estimate - up), Math.abs(estimate - upLeft)];
        predictor = a <= b && a <= c ? left : b <= c ? up : upLeft;
      }
      pixels[y * stride + x] = (row[x]! + predictor) & 0xff;
    }
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    rgba[i * 4] = pixels[i * channels]!;
    rgba[i * 4 + 1] = pixels[i * channels + 1]!;
    rgba[i * 4 + 2] = pixels[i * channels + 2]!;
    rgba[i * 4 + 3] = channels === 4 ? pixels[i * channels + 3]! : 255;
  }
  return { width, height, rgba };
}
