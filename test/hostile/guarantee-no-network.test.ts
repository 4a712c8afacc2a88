import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/model/result.js';
import { expectFixtureOutput, fixture, schemaErrors } from '../helpers.js';
import { networkNamespaceFlags, runCliProcess, runCliProcessSync, SUPPORT, type CliOptions } from './support/cli-process.js';

/**
 * Every command runs twice guarded: inside a network namespace with no interface (where one is
 * allowed: a connection fails there, and code could swallow that), and with a preload that makes
 * every connection, lookup and fetch throw and records it. No record may appear.
 */
const GUARD = path.join(SUPPORT, 'network-guard.mjs');
const FIXTURE = fixture('network-refs');
const scratch = mkdtempSync(path.join(tmpdir(), 'choreolint-no-network-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const namespace = networkNamespaceFlags();

function guarded(name: string, options: CliOptions = {}): CliOptions & { log: string } {
  const log = path.join(scratch, `${name}.network.log`);
  return { ...options, log, preload: [GUARD], env: { ...options.env, CHOREOLINT_NETWORK_LOG: log }, ...(namespace ? { unshare: namespace } : {}) };
}

function runNode(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
}

const attempts = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

describe('the guards see an attempt (so the tests below can fail)', () => {
  it('the preload records every kind of connection, lookup and fetch, and the code that swallows the error goes on', () => {
    const options = guarded('probe');
    const probe = [
      "const tries = [() => require('node:net').connect(9, '127.0.0.1'), () => require('node:tls').connect(443, 'example.com'),",
      "  () => require('node:http').get('http://example.com/a'), () => require('node:https').request('https://example.com/b'),",
      "  () => require('node:dns').lookup('example.com', () => {}), () => new (require('node:net').Socket)().connect(9, '127.0.0.1')];",
      'for (const attempt of tries) { try { attempt(); } catch {} }',
      "Promise.allSettled([fetch('https://example.com/c'), require('node:dns').promises.resolve4('example.com'), import('node:net').then(({ connect }) => connect(9, '127.0.0.1'))])",
      "  .then((outcomes) => console.log(outcomes.map((outcome) => outcome.status).join(' ')));",
    ].join('\n');
    const run = runNode(['--import', pathToFileURL(GUARD).href, '-e', probe], { CHOREOLINT_NETWORK_LOG: options.log });
    expect(run).toMatchObject({ status: 0, stdout: 'rejected rejected rejected\n' });
    expect(attempts(options.log)).toEqual([
      'net.connect 9',
      'tls.connect 443',
      'http.get http://example.com/a',
      'https.request https://example.com/b',
      'dns.lookup example.com',
      'net.Socket.connect 9',
      'fetch https://example.com/c',
      'dns.promises.resolve4 example.com',
      'net.connect 9',
    ]);
  });

  it.runIf(namespace)('the namespace has no route anywhere', () => {
    const run = spawnSync('unshare', [...namespace!, process.execPath, '-e', "require('node:net').connect(80, '192.0.2.1').on('error', (error) => console.log(error.code))"], { encoding: 'utf8' });
    expect(run).toMatchObject({ status: 0, stdout: 'ENETUNREACH\n' });
  });
});

describe('fixture network-refs: URLs in $refs, manifests, tsconfig and imports, and nothing fetched', () => {
  const cache = path.join(scratch, 'cache');
  const first = guarded('check-json');
  const firstRun = runCliProcessSync(['check', FIXTURE, '--format', 'json', '--cache-location', cache], first);

  it('check --format json: the expected topology, each refused $ref at its line, no attempt', () => {
    expect({ status: firstRun.status, stderr: firstRun.stderr, attempts: attempts(first.log) }).toEqual({ status: 0, stderr: '', attempts: [] });
    const result = JSON.parse(firstRun.stdout) as Result;
    expect(schemaErrors(result)).toEqual([]);
    expectFixtureOutput('network-refs', result);
    expect(result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual([
      'services/billing/asyncapi.yaml:16:9 $ref to https://schemas.example.com/billing/invoice-issued.yaml refused: choreolint never fetches over the network',
      'services/billing/asyncapi.yaml:22:11 $ref to http://127.0.0.1:9/ledger/entry.json refused: choreolint never fetches over the network',
      'services/ledger/asyncapi.json:6:35 $ref to HTTPS://SCHEMAS.EXAMPLE.COM/LEDGER/ENTRY.JSON refused: choreolint never fetches over the network',
      'services/ledger/asyncapi.json:9:33 $ref to //schemas.example.com/ledger/invoice.json refused: choreolint never fetches over the network',
      'shared/remote.yaml:6:7 $ref to https://schemas.example.com/aliased.json refused: choreolint never fetches over the network',
      'shared/remote.yaml:8:7 $ref to file:///etc/passwd refused: it leaves the analyzed directory',
      'shared/remote.yaml:10:7 $ref to data:application/json,{"type":"object"} refused: only relative paths to files in the analyzed directory are followed',
    ]);
  });

  it('every other command and format: the expected exit codes, no attempt', async () => {
    const initCopy = path.join(scratch, 'init');
    cpSync(FIXTURE, initCopy, { recursive: true });
    const commands: Array<{ name: string; args: string[]; cwd?: string; status: number }> = [
      // The result cache the first run wrote serves these: each still runs its reporter under the guards.
      ...['stylish', 'sarif', 'github', 'junit', 'markdown', 'compact'].map((format) => ({ name: `check-${format}`, args: ['check', FIXTURE, '--format', format, '--cache-location', cache], status: 0 })),
      { name: 'graph-svg', args: ['graph', FIXTURE, '--format', 'svg'], status: 0 },
      { name: 'graph-html', args: ['graph', FIXTURE, '--format', 'html'], status: 0 },
      { name: 'flow', args: ['flow', 'ledger.entry.posted', FIXTURE], status: 0 },
      { name: 'asyncapi', args: ['asyncapi', FIXTURE, '--service', 'billing'], status: 0 },
      { name: 'init', args: ['init', '--yes'], cwd: initCopy, status: 0 },
    ];
    const runs = await Promise.all(
      commands.map(async (command) => {
        const options = guarded(command.name, command.cwd ? { cwd: command.cwd } : {});
        const run = await runCliProcess(command.args, options);
        return { name: command.name, status: run.status, stderr: run.stderr, attempts: attempts(options.log), stdout: run.stdout };
      }),
    );
    expect(runs.map(({ name, status, stderr, attempts }) => ({ name, status, stderr, attempts }))).toEqual(
      commands.map(({ name, status }) => ({ name, status, stderr: '', attempts: [] })),
    );
    expect(runs.find((run) => run.name === 'check-compact')!.stdout.split('\n').at(-2)).toBe(
      '2 problems (0 errors, 2 warnings); 7 diagnostics: 6 declarations, 2 events, 3 handlers in 2 services (1 file)',
    );
    expect(runs.find((run) => run.name === 'graph-html')!.stdout).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:/);
  }, 60_000);
});
