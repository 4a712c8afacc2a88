import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { main } from '../../src/cli/main.js';
import { expectFixtureOutput, fixture, ROOT, schemaErrors } from '../helpers.js';
import { runCliProcess, type ProcessRun } from './support/cli-process.js';

/**
 * fixtures/never-execute is a small Kafka service whose every module, package script, TypeScript
 * plugin and module-shaped config appends a line to the file named by CHOREOLINT_EXECUTION_MARKER
 * when it runs. No choreolint command may make that file appear.
 */
const FIXTURE = fixture('never-execute');
const scratch = mkdtempSync(path.join(tmpdir(), 'choreolint-never-execute-'));
const marker = path.join(scratch, 'executed.txt');
const env = { CHOREOLINT_EXECUTION_MARKER: marker };
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function copyOfFixture(name: string): string {
  const dir = path.join(scratch, name);
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

describe('the marker catches an execution (so the tests below can fail)', () => {
  const dir = copyOfFixture('executed-on-purpose');
  const markerOnPurpose = path.join(scratch, 'executed-on-purpose.txt');
  const run = (args: string[]) => spawnSync(process.execPath, args, { cwd: dir, env: { ...process.env, CHOREOLINT_EXECUTION_MARKER: markerOnPurpose }, encoding: 'utf8' });

  beforeAll(() => {
    // A stand-in for kafkajs, so that the modules get past their imports when run on purpose.
    mkdirSync(path.join(dir, 'node_modules', 'kafkajs'), { recursive: true });
    writeFileSync(path.join(dir, 'node_modules', 'kafkajs', 'package.json'), '{ "name": "kafkajs", "main": "index.js" }\n');
    const client = '{ connect: async () => {}, send: async () => {}, subscribe: async () => {}, run: async () => {} }';
    writeFileSync(path.join(dir, 'node_modules', 'kafkajs', 'index.js'), `exports.Kafka = class { producer() { return ${client}; } consumer() { return ${client}; } };\n`);
    // Node 20 runs no TypeScript: the .ts modules run as their transpiled JavaScript.
    for (const file of ['src/index.ts', 'choreolint.config.ts']) {
      const { outputText } = ts.transpileModule(readFileSync(path.join(dir, file), 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
      writeFileSync(path.join(dir, file.replace(/\.ts$/, '.transpiled.mjs')), outputText);
    }
  });

  it('every module, script and plugin of the fixture writes it when run', () => {
    const scripts = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).scripts as Record<string, string>;
    const runs = [
      ['src/orders.js'],
      ['src/payments.mjs'],
      ['src/legacy.cjs'],
      ['src/index.transpiled.mjs'],
      ['choreolint.config.js'],
      ['choreolint.config.transpiled.mjs'],
      ['plugins/mark-plugin.cjs'],
      ...['preinstall', 'postinstall', 'prepare', 'pretest'].map((script) => scripts[script]!.split(' ').slice(1)),
    ];
    for (const args of runs) expect(run(args).status, args.join(' ')).toBe(0);
    const lines = readFileSync(markerOnPurpose, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines.filter((line) => line.includes('tools/mark.cjs'))).toEqual(['preinstall', 'postinstall', 'prepare', 'pretest'].map((script) => `executed ${path.join(dir, 'tools', 'mark.cjs')} ${script}`));
  });
});

describe('fixture never-execute: analyzed, never run', async () => {
  const result = await withMarkerInThisProcess(() => analyze({ dir: FIXTURE }));

  it('matches the expected declarations, handlers, edges and findings, and runs nothing in process', () => {
    expect(schemaErrors(result)).toEqual([]);
    expectFixtureOutput('never-execute', result);
    expect(existsSync(marker)).toBe(false);
  });

  it('reads the YAML tag that would build a function as an unknown tag, at its line', () => {
    expect(result.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual([
      'asyncapi-invalid contracts/receipts.asyncapi.yaml:9:19 invalid AsyncAPI document: Unknown tag <tag:yaml.org,2002:js/function>',
    ]);
  });

  it('no command run as a process runs any of it: check, graph svg and html, explain, init', async () => {
    const checkCopy = copyOfFixture('check');
    const initCopy = copyOfFixture('init');
    const output = (name: string) => path.join(scratch, name);
    const commands: Array<{ args: string[]; cwd?: string }> = [
      { args: ['check', checkCopy, '--cache', '--update-baseline'] },
      { args: ['graph', FIXTURE, '--format', 'svg', '--output', output('graph.svg')] },
      { args: ['graph', FIXTURE, '--format', 'html', '--output', output('graph.html')] },
      { args: ['explain', 'event-cycle'], cwd: FIXTURE },
      { args: ['init', '--yes'], cwd: initCopy },
    ];
    const runs: ProcessRun[] = await Promise.all(commands.map((command) => runCliProcess(command.args, { env, ...(command.cwd ? { cwd: command.cwd } : {}) })));
    expect(runs.map((run) => run.status)).toEqual(commands.map(() => 0));
    expect(runs.map((run) => run.stderr)).toEqual([`choreolint: wrote 9 known findings to ${path.relative(ROOT, path.join(checkCopy, '.choreolint-baseline.json'))}\n`, ...commands.slice(1).map(() => '')]);
    expect(readFileSync(output('graph.svg'), 'utf8')).toContain('checkout.order.placed');
    expect(readFileSync(output('graph.html'), 'utf8')).toContain('checkout.order.placed');
    expect(runs[3]!.stdout.split('\n')[0]).toBe('# event-cycle');
    expect(readFileSync(path.join(initCopy, 'choreolint.yaml'), 'utf8')).toContain('#   AsyncAPI documents: asyncapi.yaml, contracts/receipts.asyncapi.yaml');
    expect(existsSync(marker)).toBe(false);
  }, 60_000);

  it('nor do the other graph formats, flow and asyncapi (run in this process, where an import would write the marker too)', async () => {
    const commands = [
      ...['mermaid', 'dot', 'json'].map((format) => ['graph', FIXTURE, '--format', format]),
      ['flow', 'checkout.order.placed', FIXTURE],
      ['asyncapi', FIXTURE, '--service', 'checkout-service'],
    ];
    for (const args of commands) {
      const { code, stdout, stderr } = await withMarkerInThisProcess(() => mainWithOutput(args));
      expect({ args, code, stderr }).toEqual({ args, code: 0, stderr: '' });
      expect(stdout).toContain('checkout.order.placed');
    }
    expect(existsSync(marker)).toBe(false);
  }, 30_000);
});

async function mainWithOutput(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'choreolint', ...args], { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), isTTY: false });
  return { code, stdout, stderr };
}

/** Runs with the marker's variable set in this process, so that an import of the fixture here would be caught too. */
async function withMarkerInThisProcess<T>(run: () => Promise<T>): Promise<T> {
  const previous = process.env.CHOREOLINT_EXECUTION_MARKER;
  process.env.CHOREOLINT_EXECUTION_MARKER = marker;
  try {
    return await run();
  } finally {
    if (previous === undefined) delete process.env.CHOREOLINT_EXECUTION_MARKER;
    else process.env.CHOREOLINT_EXECUTION_MARKER = previous;
  }
}
