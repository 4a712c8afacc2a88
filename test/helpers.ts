import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { analyze } from '../src/analyze.js';
import type { Result } from '../src/model/result.js';
import resultSchema from '../src/schema/result.schema.json' with { type: 'json' };

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const FIXTURES = path.join(ROOT, 'fixtures');
export const BIN = path.join(ROOT, 'bin', 'choreolint.js');

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

export async function analyzeFixture(name: string): Promise<Result> {
  const result = await analyze({ dir: fixture(name) });
  expect(schemaErrors(result)).toEqual([]);
  return result;
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats.default(ajv);
const validateResult = ajv.compile(resultSchema);

/** Schema violations of a result document, as readable lines (empty when valid). */
export function schemaErrors(document: unknown): string[] {
  return validateResult(document) ? [] : (validateResult.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

const at = (location: { file: string; line: number; column: number; repository?: string }) =>
  `${location.repository ? `${location.repository}:` : ''}${location.file}:${location.line}:${location.column}`;

/**
 * A result in the compact form the fixtures' expected files hold: one line per declaration,
 * handler, edge and diagnostic with every field, and the findings whole.
 */
export function projection(result: Result) {
  return {
    services: result.services.map((service) => `${service.name} (${service.source}: ${service.path})`),
    declarations: result.declarations.map((d) =>
      [
        `${d.kind} ${d.event}`,
        d.service,
        at(d),
        `${d.framework}/${d.transport}`,
        `${d.resolution}${d.dynamic ? ' dynamic' : ''}${d.match ? ` ${d.match}` : ''}`,
        d.expression ?? '',
        d.handler ? `handler ${d.handler}` : d.function ? `in ${d.function}` : '',
        ...(d.wrapper ? [`wrapper ${d.wrapper}`] : []),
      ].join(' | '),
    ),
    handlers: result.handlers.map(
      (h) =>
        `${h.id} (${h.service}) at ${at(h)}${h.unresolved ? ' unresolved' : ''} → ${
          h.triggers.map((t) => `${t.event}${t.when ? ` when ${t.when}` : ''}${t.unless ? ` unless ${t.unless.join(' or ')}` : ''}${t.via.length ? ` via ${t.via.join(' > ')}` : ''}`).join(', ') || 'nothing'
        }`,
    ),
    routes: result.routes.map((r) => `${r.from}${r.match ? ` (${r.match})` : ''} → ${r.to} | ${r.service} | ${at(r)} | ${r.framework}/${r.transport}${r.dynamic ? ' dynamic' : ''}`),
    edges: result.topology.edges.map((e) => `${e.kind} ${e.from} → ${e.to}${e.handler ? ` by ${e.handler}` : ''}`),
    findings: result.findings.map((f) => ({
      rule: `${f.ruleId} (${f.severity}) ${f.fingerprint}`,
      at: at(f.location),
      message: f.message,
      related: f.related.map((r) => `${at(r)} ${r.message}`),
    })),
    diagnostics: result.diagnostics.map((d) => `${d.code} ${d.file ?? ''}:${d.line ?? ''}:${d.column ?? ''} ${d.message}`),
  };
}

/** Compares with `fixtures/<name>.expected.json`; UPDATE_EXPECTED=1 rewrites it (review the diff!). */
export function expectFixtureOutput(name: string, result: Result): void {
  const file = path.join(FIXTURES, `${name}.expected.json`);
  const actual = projection(result);
  if (process.env.UPDATE_EXPECTED === '1') writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
  if (!existsSync(file)) throw new Error(`${path.relative(ROOT, file)} is missing: run the test with UPDATE_EXPECTED=1 and review it`);
  expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
