import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, cpSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, fixture, ROOT } from '../helpers.js';
import { gitCopyOf } from '../ci/scratch.js';
import { DAEMON_PROTOCOL, daemonAddress, request, type DaemonAddress, type DaemonRequest } from '../../src/daemon/client.js';

/** The build id the CLI under test uses (the daemon's address depends on it). */
function buildId(): string {
  return readFileSync(path.join(ROOT, 'dist', 'build-id'), 'utf8').trim();
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const work = mkdtempSync(path.join(tmpdir(), 'choreolint-daemon-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A daemon directory of its own for each describe block: its daemon is the only one there. */
function daemonDir(name: string): string {
  return path.join(work, name);
}

function envFor(dir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.CHOREOLINT_DAEMON;
  return { ...env, NO_COLOR: '1', CHOREOLINT_DAEMON_DIR: dir, ...extra };
}

function cli(dir: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, encoding: 'utf8', env: envFor(dir, options.env) });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function cliAsync(dir: string, args: string[], cwd = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: envFor(dir) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** How many runs the daemon in `dir` has served (undefined: none is running). */
function runsServed(dir: string): number | undefined {
  const status = cli(dir, ['daemon', 'status']);
  if (status.status === 1) return undefined;
  return Number(/: (\d+) runs? since/.exec(status.stdout)![1]);
}

async function waitFor(condition: () => boolean, ms = 10_000): Promise<boolean> {
  for (let waited = 0; waited < ms; waited += 100) {
    if (condition()) return true;
    await sleep(100);
  }
  return condition();
}

/** Every cache file a run writes; discovery.json only once the tree has settled (its stamps can be trusted). */
const CACHE_FILES = ['files.json', 'result.json', 'summaries.jsonl'];
const OPTIONAL_CACHE_FILES = ['discovery.json'];

/** The daemon writes a run's cache after its reply has gone: the client can exit first. */
function cacheWritten(cache: string): Promise<boolean> {
  return waitFor(() => {
    const names = existsSync(cache) ? readdirSync(cache) : [];
    return CACHE_FILES.every((name) => names.includes(name)) && names.every((name) => CACHE_FILES.includes(name) || OPTIONAL_CACHE_FILES.includes(name));
  });
}

describe('choreolint daemon', { timeout: 30_000 }, () => {
  const dir = daemonDir('main');
  beforeAll(() => {
    expect(cli(dir, ['daemon', 'start', '--idle-timeout', '10'])).toMatchObject({ status: 0, stderr: '' });
  });
  afterAll(() => {
    cli(dir, ['daemon', 'stop']);
  });

  it('reports that it runs, in a directory only this user can enter', () => {
    const status = cli(dir, ['daemon', 'status']);
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/^choreolint: the daemon is running \(pid \d+\): \d+ runs? since /);
    expect(status.stdout).toContain('stops after 10 idle minutes');
    expect(readdirSync(dir).filter((name) => name.endsWith('.sock'))).toHaveLength(1);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    // A second start finds it running.
    expect(cli(dir, ['daemon', 'start']).stdout).toMatch(/^choreolint: the daemon is already running \(pid \d+\)/);
  });

  const commands: Array<[string, string[]]> = [
    ['check, stylish', ['check', 'fixtures/shop']],
    ['check, json', ['check', 'fixtures/shop', '--format', 'json']],
    ['check, sarif', ['check', 'fixtures/shop', '--format', 'sarif']],
    ['check of a clean repository', ['check', 'fixtures/eventemitter']],
    ['check with a diagnostic', ['check', 'fixtures/syntax-error', '--format', 'compact']],
    ['graph, mermaid', ['graph', 'fixtures/shop']],
    ['flow, text', ['flow', 'OrderPlaced', 'fixtures/saga-order-flow']],
    ['a usage error', ['check', 'fixtures/shop', '--format', 'nope']],
    ['a missing directory', ['check', 'fixtures/no-such-fixture']],
  ];
  it.each(commands)('%s: the same output, diagnostics and exit code as a run of its own', (_, args) => {
    const before = runsServed(dir)!;
    const direct = cli(dir, [...args, '--no-daemon']);
    const served = cli(dir, args);
    expect(served).toEqual(direct);
    expect(runsServed(dir)).toBe(before + 1);
  });

  it('runs in the client’s directory: relative paths and --output are the client’s', () => {
    const out = path.join(work, 'report.json');
    const served = cli(dir, ['check', '.', '--format', 'json', '-o', path.relative(fixture('shop'), out)], { cwd: fixture('shop') });
    expect(served).toMatchObject({ status: 1, stdout: '', stderr: '' });
    const direct = cli(dir, ['check', '.', '--format', 'json', '--no-daemon'], { cwd: fixture('shop') });
    expect(readFileSync(out, 'utf8')).toBe(direct.stdout);
  });

  it('runs with the client’s environment: --staged in a pre-commit hook reads the index git names', () => {
    const repo = gitCopyOf('shop');
    try {
      repo.edit('services/payment/src/payment.events.ts', (text) => text.replace('topic: Topics.PAYMENT_REFUNDED', "topic: 'shop.payment.reimbursed'"));
      // A hook runs with GIT_INDEX_FILE set to the index being committed: here, one with the edit staged.
      const index = path.join(work, 'hook-index');
      const env = { GIT_INDEX_FILE: index };
      spawnSync('git', ['read-tree', 'HEAD'], { cwd: repo.dir, env: { ...process.env, ...env } });
      spawnSync('git', ['add', 'services/payment/src/payment.events.ts'], { cwd: repo.dir, env: { ...process.env, ...env } });
      const direct = cli(dir, ['check', '--staged', '--no-daemon'], { cwd: repo.dir, env });
      const served = cli(dir, ['check', '--staged'], { cwd: repo.dir, env });
      expect(direct.stdout).toContain('shop.payment.reimbursed');
      expect(served).toEqual(direct);
      // Without that index, nothing is staged.
      expect(cli(dir, ['check', '--staged'], { cwd: repo.dir }).stdout).not.toContain('shop.payment.reimbursed');
    } finally {
      repo.remove();
    }
  });

  it('keeps the cache in memory and on disk as a run of its own would, whoever wrote it last', async () => {
    const repo = gitCopyOf('saga-order-flow');
    try {
      const check = (...extra: string[]) => cli(dir, ['check', repo.dir, '--format', 'json', '--cache', ...extra]);
      const cold = () => cli(dir, ['check', repo.dir, '--format', 'json', '--no-daemon']);
      const contracts = 'packages/contracts/src/index.ts';
      const rename = (from: string, to: string) => repo.edit(contracts, (text) => text.replace(`PaymentDeclined: '${from}'`, `PaymentDeclined: '${to}'`));
      expect(readFileSync(path.join(repo.dir, contracts), 'utf8')).toContain("PaymentDeclined: 'PaymentDeclined'");
      expect(check()).toEqual(cold());
      expect(check()).toEqual(cold());
      rename('PaymentDeclined', 'PaymentBounced');
      expect(check().stdout).toContain('"PaymentBounced"');
      expect(check()).toEqual(cold());
      // A run of its own writes the cache files in between: the daemon reads them again.
      rename('PaymentBounced', 'PaymentRejected');
      expect(check('--no-daemon')).toEqual(cold());
      rename('PaymentRejected', 'PaymentDeclined');
      await sleep(250);
      expect(check()).toEqual(cold());
      expect(check()).toEqual(cold());
      expect(await cacheWritten(path.join(repo.dir, 'node_modules', '.cache', 'choreolint'))).toBe(true);
    } finally {
      repo.remove();
    }
  });

  it('serves clients that come at once, one run at a time', async () => {
    const args = [
      ['check', 'fixtures/shop', '--format', 'json'],
      ['check', 'fixtures/saga-order-flow', '--format', 'json'],
      ['graph', 'fixtures/mixed-monorepo'],
      ['check', 'fixtures/eventemitter'],
    ];
    const served = await Promise.all(args.map((command) => cliAsync(dir, command)));
    expect(served).toEqual(args.map((command) => cli(dir, [...command, '--no-daemon'])));
  });

  it('prints stdout and stderr in the order the run wrote them', () => {
    // One file for both, as a hook runner captures them: the report, then --debug's metrics.
    const combined = (args: string[]) => {
      const file = path.join(work, `combined-${args.length}.txt`);
      const descriptor = openSync(file, 'w');
      spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, env: envFor(dir), stdio: ['ignore', descriptor, descriptor] });
      closeSync(descriptor);
      return readFileSync(file, 'utf8');
    };
    const served = combined(['check', 'fixtures/shop', '--debug']);
    const direct = combined(['check', 'fixtures/shop', '--debug', '--no-daemon']);
    for (const output of [served, direct]) {
      expect(output.indexOf('✖ 8 problems')).toBeGreaterThan(0);
      expect(output.indexOf('choreolint: read ')).toBeGreaterThan(output.indexOf('✖ 8 problems'));
    }
  });

  it('writes the cache as the client would, with its umask', async () => {
    const repo = gitCopyOf('shop');
    try {
      const run = spawnSync('sh', ['-c', `umask 077 && exec "${process.execPath}" "${BIN}" check . --cache`], { cwd: repo.dir, env: envFor(dir), encoding: 'utf8' });
      expect(run.status).toBe(1);
      const cache = path.join(repo.dir, 'node_modules', '.cache', 'choreolint');
      expect(await cacheWritten(cache)).toBe(true);
      expect(statSync(cache).mode & 0o777).toBe(0o700);
      expect(readdirSync(cache).map((name) => statSync(path.join(cache, name)).mode & 0o777)).toEqual(readdirSync(cache).map(() => 0o600));
    } finally {
      repo.remove();
    }
  });

  it('refuses a request it cannot run, and goes on serving', async () => {
    const address = daemonAddress(buildId(), { CHOREOLINT_DAEMON_DIR: dir }) as DaemonAddress;
    const ask = async (body: Record<string, unknown>) => {
      const replies: unknown[] = [];
      await request(address, { protocol: DAEMON_PROTOCOL, op: 'run', cwd: ROOT, env: {}, umask: 0o22, stdoutIsTTY: false, stderrIsTTY: false, args: [], ...body } as DaemonRequest, (reply) =>
        replies.push('message' in reply ? reply.message : reply),
      );
      return replies;
    };
    expect(await ask({ umask: 1.5, args: ['check', 'fixtures/shop'] })).toEqual([{ refused: 'not a request of daemon protocol 1' }]);
    // A run that stopped the daemon would wait for itself.
    expect(await ask({ args: ['daemon', 'stop'] })).toEqual([{ refused: 'the daemon runs check, graph, flow and asyncapi only' }]);
    expect(await ask({ args: ['init', '--yes'] })).toEqual([{ refused: 'the daemon runs check, graph, flow and asyncapi only' }]);
    expect(await ask({ args: ['check', 'fixtures/eventemitter'] })).toContainEqual({ exit: 0 });
    expect(runsServed(dir)).toBeGreaterThan(0);
  });

  it('is not used for help, explain or --no-daemon, nor with CHOREOLINT_DAEMON=0', () => {
    const before = runsServed(dir)!;
    expect(cli(dir, ['check', '--help']).status).toBe(0);
    expect(cli(dir, ['check', 'fixtures/shop', '--no-daemon']).status).toBe(1);
    expect(cli(dir, ['check', 'fixtures/shop'], { env: { CHOREOLINT_DAEMON: '0' } }).status).toBe(1);
    expect(cli(dir, ['explain', 'event-cycle']).status).toBe(0);
    expect(runsServed(dir)).toBe(before);
  });
});

describe('when the daemon is gone', { timeout: 30_000 }, () => {
  const dir = daemonDir('killed');
  afterEach(() => {
    cli(dir, ['daemon', 'stop']);
  });

  it('a daemon killed without cleaning up is passed over, and replaced by the next start', async () => {
    expect(cli(dir, ['daemon', 'start'])).toMatchObject({ status: 0 });
    const pid = Number(/pid (\d+)/.exec(cli(dir, ['daemon', 'status']).stdout)![1]);
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !isAlive(pid));
    // Its socket file is still there, and nobody listens on it.
    expect(readdirSync(dir).filter((name) => name.endsWith('.sock'))).toHaveLength(1);
    const direct = cli(dir, ['check', 'fixtures/shop', '--no-daemon']);
    expect(cli(dir, ['check', 'fixtures/shop'])).toEqual(direct);
    expect(cli(dir, ['daemon', 'status'])).toMatchObject({ status: 1, stdout: 'choreolint: no daemon is running\n' });
    expect(cli(dir, ['daemon', 'start'])).toMatchObject({ status: 0 });
    expect(runsServed(dir)).toBe(0);
    expect(cli(dir, ['check', 'fixtures/shop'])).toEqual(direct);
    expect(runsServed(dir)).toBe(1);
  });

  it('--daemon runs this time on its own and starts the daemon for the next', async () => {
    const direct = cli(dir, ['check', 'fixtures/shop', '--no-daemon']);
    expect(cli(dir, ['check', 'fixtures/shop', '--daemon'])).toEqual(direct);
    expect(await waitFor(() => runsServed(dir) !== undefined)).toBe(true);
    expect(cli(dir, ['check', 'fixtures/shop', '--daemon'])).toEqual(direct);
    expect(runsServed(dir)).toBe(1);
  });

  it('stops after idling for its timeout, and removes its socket', async () => {
    expect(cli(dir, ['daemon', 'start', '--idle-timeout', '0.02'])).toMatchObject({ status: 0 });
    expect(await waitFor(() => runsServed(dir) === undefined)).toBe(true);
    expect(readdirSync(dir).filter((name) => name.endsWith('.sock'))).toEqual([]);
  });

  it('two daemons started at once over a dead socket: one serves, the other leaves', async () => {
    expect(cli(dir, ['daemon', 'start'])).toMatchObject({ status: 0 });
    process.kill(Number(/pid (\d+)/.exec(cli(dir, ['daemon', 'status']).stdout)![1]), 'SIGKILL');
    await waitFor(() => cli(dir, ['daemon', 'status']).status === 1);
    const starts = await Promise.all([cliAsync(dir, ['daemon', 'start']), cliAsync(dir, ['daemon', 'start'])]);
    expect(starts.map((start) => start.status)).toEqual([0, 0]);
    const serving = () => spawnSync('pgrep', ['-f', `daemon serve --socket ${dir}/`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    expect(await waitFor(() => serving().length === 1)).toBe(true);
    expect(serving()).toEqual([/pid (\d+)/.exec(cli(dir, ['daemon', 'status']).stdout)![1]]);
    expect(cli(dir, ['check', 'fixtures/shop'])).toEqual(cli(dir, ['check', 'fixtures/shop', '--no-daemon']));
    expect(cli(dir, ['daemon', 'stop']).stdout).toBe('choreolint: the daemon stopped\n');
    expect(await waitFor(() => readdirSync(dir).filter((name) => name.includes('.sock')).length === 0)).toBe(true);
  });

  it('stop says when none was running', () => {
    expect(cli(dir, ['daemon', 'stop'])).toMatchObject({ status: 0, stdout: 'choreolint: no daemon is running\n' });
  });
});

describe('after a rebuild or an upgrade', { timeout: 30_000 }, () => {
  it('the daemon of the build that was replaced stops on its own', async () => {
    // An installation of its own, whose build id can change under the daemon it started.
    const installation = path.join(work, 'installation');
    for (const entry of ['bin', 'dist', 'docs', 'package.json']) cpSync(path.join(ROOT, entry), path.join(installation, entry), { recursive: true });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(installation, 'node_modules'));
    const dir = daemonDir('replaced');
    const serve = spawn(process.execPath, [path.join(installation, 'bin', 'choreolint.js'), 'daemon', 'serve', '--installed-check', '100'], { env: envFor(dir), stdio: ['ignore', 'ignore', 'pipe'] });
    let serveErr = '';
    serve.stderr.setEncoding('utf8').on('data', (chunk: string) => (serveErr += chunk));
    const exited = new Promise<number | null>((resolve) => serve.on('exit', resolve));
    const bin = path.join(installation, 'bin', 'choreolint.js');
    const status = () => spawnSync(process.execPath, [bin, 'daemon', 'status'], { encoding: 'utf8', env: envFor(dir) }).status;
    expect(await waitFor(() => status() === 0), serveErr).toBe(true);
    await sleep(300);
    expect(serve.exitCode).toBe(null);
    writeFileSync(path.join(installation, 'dist', 'build-id'), 'a-newer-build\n');
    expect(await exited).toBe(0);
    expect(readdirSync(dir).filter((name) => name.endsWith('.sock'))).toEqual([]);
  });
});

describe('the caches of runs that follow each other', { timeout: 30_000 }, () => {
  it('are written once no run follows, or when the daemon stops', async () => {
    const dir = daemonDir('deferred-writes');
    // Writes wait a minute for the next run: only the stop writes them.
    const serve = spawn(process.execPath, [BIN, 'daemon', 'serve', '--cache-write-delay', '60000'], { env: envFor(dir), stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => serve.on('exit', resolve));
    expect(await waitFor(() => runsServed(dir) !== undefined)).toBe(true);
    const repo = gitCopyOf('shop');
    try {
      const check = (...extra: string[]) => cli(dir, ['check', '.', '--format', 'json', ...extra], { cwd: repo.dir });
      const cache = path.join(repo.dir, 'node_modules', '.cache', 'choreolint');
      expect(check('--cache').status).toBe(1);
      repo.edit('services/payment/src/payment.events.ts', (text) => `// reviewed\n${text}`);
      expect(check('--cache')).toEqual(check('--no-daemon'));
      expect(runsServed(dir)).toBe(2);
      expect(existsSync(path.join(cache, 'result.json'))).toBe(false);
      const stopping = Date.now();
      expect(cli(dir, ['daemon', 'stop']).status).toBe(0);
      expect(await exited).toBe(0);
      // At once, not after the grace a run in progress gets (10 s).
      expect(Date.now() - stopping).toBeLessThan(5_000);
      // What was written is the last run's: a run of its own finds nothing changed.
      const afterStop = check('--cache', '--no-daemon', '--debug');
      expect(afterStop.stderr).toContain('nothing changed: the result came from the cache');
    } finally {
      repo.remove();
    }
  });
});

describe('a daemon directory too deep for a socket path', () => {
  it('the daemon does not start, says why, and runs go on without it', () => {
    const dir = path.join(daemonDir('deep'), 'a'.repeat(60), 'b'.repeat(20));
    const start = cli(dir, ['daemon', 'start']);
    expect(start.status).toBe(2);
    expect(start.stderr).toMatch(/^choreolint: the daemon's socket path .+\.sock is longer than Unix allows: set CHOREOLINT_DAEMON_DIR to a shorter directory\n$/);
    expect(cli(dir, ['check', 'fixtures/shop', '--daemon'])).toEqual(cli(dir, ['check', 'fixtures/shop', '--no-daemon']));
  });
});

describe('a daemon directory that others can enter', () => {
  const dir = daemonDir('shared');
  it('is never used: the daemon does not start, and runs go on without it', () => {
    cli(dir, ['daemon', 'status']);
    spawnSync('mkdir', ['-p', dir]);
    chmodSync(dir, 0o777);
    expect(cli(dir, ['daemon', 'start'])).toMatchObject({ status: 2, stderr: expect.stringContaining('the daemon did not start') });
    expect(existsSync(dir) && readdirSync(dir).filter((name) => name.endsWith('.sock'))).toEqual([]);
    expect(cli(dir, ['check', 'fixtures/shop', '--daemon'])).toEqual(cli(dir, ['check', 'fixtures/shop', '--no-daemon']));
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
