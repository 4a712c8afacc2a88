import { rmSync } from 'node:fs';
import net from 'node:net';
import { flushCacheWrites, keepCachesResident, residentCacheStats } from '../cache/resident.js';
import type { IO } from '../cli/context.js';
import { UsageError } from '../model/errors.js';
import { DAEMON_PROTOCOL, ensurePrivateDir, request, type DaemonAddress, type DaemonMessage, type DaemonRequest, type DaemonStatus } from './client.js';
import { encodeFrame, FRAME, FrameReader, type FrameKind } from './frames.js';

const REPLY_TIMEOUT_MS = 30_000;
const INSTALLED_CHECK_MS = 30_000;

export interface ServeOptions {
  address: DaemonAddress;
  build: string;
  idleTimeoutMinutes: number;
  /** Whether this process's build is still the one installed: no client reaches a daemon of another. */
  stillInstalled: () => boolean;
  /** How often to ask `stillInstalled` (default: every 30 s). */
  installedCheckMs?: number;
  /** What to do once listening, before the first run asks for it (load TypeScript). */
  warmUp?: () => void;
  /** Runs CLI arguments (after node and the script) and returns the exit code, as `main` does. */
  run: (argv: string[], io: IO) => Promise<number>;
}

/**
 * The daemon: a resident process that runs the CLI's analyzing commands for clients on a local
 * socket, one run at a time, each in the client's directory, environment and umask. It keeps
 * TypeScript loaded, its functions compiled and the caches in memory between runs; it writes the
 * caches after each reply. It stops when asked, on SIGTERM or SIGINT, or after idling for
 * `idleTimeoutMinutes`. Resolves when it stops; rejects when it cannot listen.
 */
export async function serveDaemon(options: ServeOptions): Promise<'stopped' | 'already-running'> {
  const { address } = options;
  if (!ensurePrivateDir(address.dir)) throw new UsageError(`${address.dir} is not a directory only this user can enter: the daemon does not listen there`);
  keepCachesResident();
  const startedAt = new Date();
  let runs = 0;
  const queue: Array<{ body: DaemonRequest; socket: net.Socket }> = [];
  let working = false;
  let stopping = false;
  let idleTimer: NodeJS.Timeout | undefined;

  const server = net.createServer((socket) => {
    let received = false;
    socket.on('error', () => undefined);
    const reader = new FrameReader((kind, payload) => {
      if (received) return;
      received = true;
      const body = kind === FRAME.message ? parseRequest(payload.toString('utf8')) : undefined;
      if (!body) {
        send(socket, { refused: `not a request of daemon protocol ${DAEMON_PROTOCOL}` });
        socket.end();
        return;
      }
      queue.push({ body, socket });
      void work();
    });
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
  });

  const listening = await listen(server, address);
  if (listening === 'already-running') return 'already-running';
  const stopped = new Promise<'stopped'>((resolve) => server.on('close', () => resolve('stopped')));
  const stop = () => {
    stopping = true;
    clearTimeout(idleTimer);
    server.close();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // After a rebuild or an upgrade, clients talk to a daemon of the new build: this one only holds memory.
  const installed = setInterval(() => {
    if (!working && !options.stillInstalled()) stop();
  }, options.installedCheckMs ?? INSTALLED_CHECK_MS);
  server.on('close', () => clearInterval(installed));
  if (options.warmUp) setImmediate(options.warmUp);
  idle();
  return stopped;

  function idle(): void {
    clearTimeout(idleTimer);
    if (options.idleTimeoutMinutes > 0) idleTimer = setTimeout(stop, options.idleTimeoutMinutes * 60_000);
  }

  async function work(): Promise<void> {
    if (working) return;
    working = true;
    try {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { body, socket } = next;
        if (stopping) {
          socket.end();
          continue;
        }
        if (body.op === 'status') {
          send(socket, { status: status() });
        } else if (body.op === 'stop') {
          send(socket, { stopping: true });
          socket.end();
          stop();
          continue;
        } else {
          runs++;
          await runFor(body, socket);
          idle();
        }
        // Once the reply has gone (a report can be megabytes), the caches are written while the client prints it.
        await new Promise<void>((resolve) => {
          if (socket.closed) return resolve();
          // A client that stops reading must not hold up the next one.
          const timer = setTimeout(() => socket.destroy(), REPLY_TIMEOUT_MS);
          socket.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          socket.end();
        });
        flushCacheWrites();
      }
    } finally {
      working = false;
    }
  }

  async function runFor(body: Extract<DaemonRequest, { op: 'run' }>, socket: net.Socket): Promise<void> {
    const cwd = process.cwd();
    const env = process.env;
    const umask = process.umask(body.umask);
    const io: IO = {
      stdout: (text) => write(socket, FRAME.stdout, text),
      stderr: (text) => write(socket, FRAME.stderr, text),
      isTTY: body.stdoutIsTTY,
      errIsTTY: body.stderrIsTTY,
    };
    let exit: number;
    try {
      process.chdir(body.cwd);
      process.env = { ...body.env };
      exit = await options.run(['node', 'choreolint', ...body.args], io);
    } catch (error) {
      io.stderr(`choreolint: the daemon cannot run in ${body.cwd}: ${error instanceof Error ? error.message : String(error)}\n`);
      exit = 2;
    } finally {
      process.env = env;
      process.umask(umask);
      process.chdir(cwd);
    }
    send(socket, { exit });
  }

  function status(): DaemonStatus {
    const cache = residentCacheStats();
    return {
      pid: process.pid,
      build: options.build,
      startedAt: startedAt.toISOString(),
      runs,
      idleTimeoutMinutes: options.idleTimeoutMinutes,
      cacheHits: cache.hits,
      cacheMisses: cache.misses,
      rssMiB: Math.round(process.memoryUsage.rss() / 1048576),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  }
}

function send(socket: net.Socket, message: DaemonMessage): void {
  write(socket, FRAME.message, JSON.stringify(message));
}

function write(socket: net.Socket, kind: FrameKind, payload: string): void {
  if (socket.destroyed) return;
  for (const part of encodeFrame(kind, payload)) socket.write(part);
}

/**
 * Listens on the address. A socket file left by a daemon that was killed is removed; one that
 * answers belongs to a daemon already running (started by another client at the same time).
 */
async function listen(server: net.Server, address: DaemonAddress): Promise<'listening' | 'already-running'> {
  for (let attempt = 0; ; attempt++) {
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      server.once('error', resolve);
      server.listen(address.socket, () => {
        server.off('error', resolve);
        resolve(undefined);
      });
    });
    if (!error) return 'listening';
    if (error.code !== 'EADDRINUSE' || attempt > 0) throw error;
    const answered = (await request(address, { protocol: DAEMON_PROTOCOL, op: 'status' }, () => undefined)) === 'done';
    if (answered) return 'already-running';
    if (process.platform !== 'win32') rmSync(address.socket, { force: true });
  }
}

function parseRequest(line: string): DaemonRequest | undefined {
  try {
    const body = JSON.parse(line) as Partial<Record<string, unknown>>;
    if (body.protocol !== DAEMON_PROTOCOL) return undefined;
    if (body.op === 'status') return { protocol: DAEMON_PROTOCOL, op: 'status' };
    if (body.op === 'stop') return { protocol: DAEMON_PROTOCOL, op: 'stop' };
    if (
      body.op === 'run' &&
      Array.isArray(body.args) &&
      body.args.every((arg) => typeof arg === 'string') &&
      typeof body.cwd === 'string' &&
      typeof body.umask === 'number' &&
      body.env !== null &&
      typeof body.env === 'object' &&
      Object.values(body.env).every((value) => typeof value === 'string')
    ) {
      return {
        protocol: DAEMON_PROTOCOL,
        op: 'run',
        args: body.args,
        cwd: body.cwd,
        env: body.env as Record<string, string>,
        umask: body.umask,
        stdoutIsTTY: body.stdoutIsTTY === true,
        stderrIsTTY: body.stderrIsTTY === true,
      };
    }
  } catch {
    // Not JSON: refused below.
  }
  return undefined;
}
