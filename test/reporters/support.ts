import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Declaration, Diagnostic, Finding, Result, TopologyEvent } from '../../src/model/result.js';
import { FIXTURES, fixture, ROOT, runCli, schemaErrors } from '../helpers.js';

/** Golden files beside the fixture; UPDATE_EXPECTED=1 rewrites them (review the diff). */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(FIXTURES, name);
  if (process.env.UPDATE_EXPECTED === '1') writeFileSync(file, actual);
  if (!existsSync(file)) throw new Error(`fixtures/${name} is missing: run with UPDATE_EXPECTED=1 and review it`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

/** The lines of the first code block in the `## {format}` section of docs/formats.md that are not cut short (`…`). */
export function documentedLines(format: string): string[] {
  const doc = readFileSync(path.join(ROOT, 'docs', 'formats.md'), 'utf8');
  const section = doc.split(`\n## ${format}\n`)[1]?.split('\n## ')[0] ?? '';
  const block = /```[a-z]*\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const lines = block.split('\n').filter((line) => line !== '' && !line.includes('…'));
  expect(lines.length, `docs/formats.md has an example for ${format}`).toBeGreaterThan(0);
  return lines;
}

/**
 * `choreolint check` with this format, from dist/ (run `npm run build` first): the exit code is 1 on
 * the shop example (one error) and 0 on a clean one, whatever the format.
 */
export function expectSameExitCodes(format: string): { shop: string } {
  const shop = runCli(['check', fixture('shop'), '--format', format]);
  expect(shop.stderr).toBe('');
  expect(shop.status).toBe(1);
  const clean = runCli(['check', fixture('eventemitter'), '--format', format]);
  expect(clean.stderr).toBe('');
  expect(clean.status).toBe(0);
  return { shop: shop.stdout };
}

/** Text that trips every format's escaping: workflow-command, XML, Markdown, SARIF link and Mermaid specials. */
export const NASTY = 'a 100% "quoted" <b>&amp;</b> it\'s, colon: pipe | star * under_score `tick` [link](1) #hash ~tilde\\back\r\nsecond line\u0001';

const DOCS = 'https://github.com/choreolint/choreolint/blob/main/docs/rules/';

/**
 * A small result document built by hand: one service publishing `order.placed` and consuming it
 * back (a self-loop), a file whose name needs escaping, a finding located in another repository
 * (merged with --with), and diagnostics with and without a file. It is valid against the schema.
 */
export function handMadeResult(): Result {
  const weird = 'src/we ird,dir/a:b%c#d.ts';
  const publish: Declaration = {
    id: `${weird}:3:5:publish:order.placed`,
    kind: 'publish',
    event: 'order.placed',
    service: 'orders',
    framework: 'kafkajs',
    transport: 'kafka',
    file: weird,
    line: 3,
    column: 5,
    resolution: 'literal',
    dynamic: false,
    function: `${weird}#onPlaced`,
  };
  const subscribe: Declaration = { ...publish, id: `${weird}:1:1:subscribe:order.placed`, kind: 'subscribe', line: 1, column: 1, handler: `${weird}#onPlaced` };
  delete subscribe.function;
  const event: TopologyEvent = { id: 'order.placed', name: 'order.placed', transports: ['kafka'], publishers: [publish.id], subscribers: [subscribe.id] };
  const findings: Finding[] = [
    {
      ruleId: 'event-cycle',
      severity: 'error',
      message: `Event cycle (self-loop): order.placed → order.placed ${NASTY}`,
      location: { file: weird, line: 3, column: 5 },
      related: [
        { file: weird, line: 1, column: 1, message: `order.placed is handled by onPlaced ${NASTY}` },
        { file: 'src/billing.ts', line: 7, column: 13, repository: 'billing-repo', message: 'billing publishes it too' },
      ],
      fingerprint: '0123456789abcdef',
      docs: `${DOCS}event-cycle.md`,
      data: { cycle: ['order.placed'], hops: [{ handler: `${weird}#onPlaced`, publish: publish.id }] },
    },
    {
      ruleId: 'orphan-event',
      severity: 'warn',
      message: 'billing.done is published but nothing consumes it',
      location: { file: 'src/billing.ts', line: 9, column: 2, repository: 'billing-repo' },
      related: [],
      fingerprint: 'fedcba9876543210',
      docs: `${DOCS}orphan-event.md`,
      data: { event: 'billing.done' },
    },
  ];
  const diagnostics: Diagnostic[] = [
    { severity: 'warn', code: 'parse-error', message: `syntax error: ${NASTY}`, file: weird, line: 4, column: 2 },
    { severity: 'warn', code: 'manifest-error', message: 'package.json: unexpected token' },
  ];
  const result: Result = {
    version: 1,
    tool: { name: 'choreolint', version: '9.9.9' },
    repository: 'orders-repo',
    services: [{ name: 'orders', path: '.', source: 'root' }],
    declarations: [subscribe, publish],
    routes: [],
    handlers: [
      { id: `${weird}#onPlaced`, name: 'onPlaced', service: 'orders', file: weird, line: 1, column: 1, subscribes: [subscribe.id], triggers: [{ declaration: publish.id, event: 'order.placed', via: [] }] },
    ],
    topology: {
      events: [event],
      edges: [
        { kind: 'publish', from: 'service:orders', to: 'event:order.placed', declaration: publish.id },
        { kind: 'subscribe', from: 'event:order.placed', to: `handler:${weird}#onPlaced`, declaration: subscribe.id },
      ],
    },
    findings,
    diagnostics,
    stats: { files: 2, filesParsed: 2, declarations: 2, events: 1, handlers: 1, services: 1, suppressed: 0 },
  };
  expect(schemaErrors(result)).toEqual([]);
  return result;
}

/** The same document without findings or diagnostics. */
export function cleanResult(): Result {
  return { ...handMadeResult(), findings: [], diagnostics: [] };
}

/** The same document with its findings and diagnostics in reverse order: formats must not care. */
export function reversed(result: Result): Result {
  return { ...result, findings: [...result.findings].reverse(), diagnostics: [...result.diagnostics].reverse() };
}

/** The hand-made document as changed-files mode with a baseline leaves it: a scope, ignored findings, a stale entry. */
export function limitedResult(): Result {
  const result: Result = {
    ...handMadeResult(),
    scope: { files: ['src/a.ts', 'src/b.ts'] },
    baseline: {
      file: '.choreolint-baseline.json',
      ignored: 3,
      stale: [{ ruleId: 'orphan-event', fingerprint: 'aaaaaaaaaaaaaaaa', file: 'src/old.ts', message: 'old.done, stale: 100%\nnext' }],
    },
  };
  expect(schemaErrors(result)).toEqual([]);
  return result;
}
