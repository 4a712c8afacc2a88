import { linkSync, lstatSync, rmSync } from 'node:fs';
import net from 'node:net';
import { flushCacheWrites, keepCachesResident, residentCacheStats } from '../cache/resident.js';
import type { IO } from '../cli/context.js';
import { UsageError } from '../model/errors.js';
import { DAEMON_PROTOCOL, ensurePrivateDir, isForwarded, request, type DaemonAddress, type DaemonMessage, type DaemonRequest, type DaemonStatus } from './client.js';
import { encodeFrame, FRAME, FrameReader, type FrameKind } from './frames.js';

const REPLY_TIMEOUT_MS = 30_000;
const INSTALLED_CHECK_MS = 30_000;
/** A stopping daemon lets the run in progress finish, but not forever. */
const STOP_GRACE_MS = 10_000;
/** setTimeout's limit: a longer idle timeout would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * How long after a reply the daemon waits for the next run before it writes the caches: runs that
 * follow each other closely (a hook running check then graph, an editor on save) write once, after
 * the last, and none of them waits for the write of the one before (90 ms at 10,000 files). Writes
 * wait at most MAX_CACHE_WRITE_DELAY_MS; a daemon that stops writes what is pending.
 */
const CACHE_WRITE_DELAY_MS = 500;
const MAX_CACHE_WRITE_DELAY_MS = 5_000;
/** A request is a few kilobytes (arguments and environment); a connection that sends more is not a client. */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

export interface ServeOptions {
  address: DaemonAddress;
  build: string;
  idleTimeoutMinutes: number;
  /** Whether this process's build is still the one installed: no client reaches a daemon of another. */
  stillInstalled: () => boolean;
  /** How often to ask `stillInstalled` (default: every 30 s). */
  installedCheckMs?: number;
  /** How long after a reply to wait for the next run before writing the caches (default: CACHE_WRITE_DELAY_MS). */
  cacheWriteDelayMs?: number;
  /** What to do once listening, before the first run asks for it (load TypeScript). */
  warmUp?: () => void;
  /** Runs CLI arguments (after node and the script) and returns the exit code, as `main` does. */
  run: (argv: string[], io: IO) => Promise<number>;
}

type RunRequest = Extract<DaemonRequest, { op: 'run' }>;

/**
 * The daemon: a resident process that runs the CLI's analyzing commands for clients on a local
 * socket, one run at a time, each in the client's directory, environment and umask. It keeps
 * TypeScript loaded, its functions compiled and the caches in memory between runs; it writes the
 * caches once runs stop coming (see CACHE_WRITE_DELAY_MS). Status and stop requests are answered
 * at once, whatever runs. It stops when asked, on SIGTERM or SIGINT, after idling for
 * `idleTimeoutMinutes`, or when its build is no longer the one installed. Resolves when it stops;
 * rejects when it cannot listen.
 */
export async function serveDaemon(options: ServeOptions): Promise<'stopped' | 'already-running'> {
  const { address } = options;
  if (!ensurePrivateDir(address.dir)) throw new UsageError(`${address.dir} is not a directory only this user can enter: the daemon does not listen there`);
  keepCachesResident();
  const startedAt = new Date();
  let runs = 0;
  const queue: Array<{ body: RunRequest; socket: net.Socket }> = [];
  let working = false;
  let stopping = false;
  let idleTimer: NodeJS.Timeout | undefined;
  // The caches of the runs since the last write: written with the umask of the last of them.
  let writeTimer: NodeJS.Timeout | undefined;
  let writeUmask = 0;
  let pendingSince = 0;

  const server = net.createServer((socket) => {
    let received = false;
    let bytes = 0;
    socket.on('error', () => undefined);
    const reader = new FrameReader((kind, payload) => {
      if (received) return;
      received = true;
      const body = kind === FRAME.message ? parseRequest(payload.toString('utf8')) : undefined;
      if (!body) {
        send(socket, { refused: `not a request of daemon protocol ${DAEMON_PROTOCOL}` });
        socket.end();
      } else if (body.op === 'status') {
        send(socket, { status: status() });
        socket.end();
      } else if (body.op === 'stop') {
        send(socket, { stopping: true });
        socket.end();
        stop();
      } else if (!isForwarded(body.args)) {
        send(socket, { refused: 'the daemon runs check, graph, flow and asyncapi only' });
        socket.end();
      } else if (stopping) {
        socket.end();
      } else {
        queue.push({ body, socket });
        work().catch((error: unknown) => process.stderr.write(`choreolint daemon: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`));
      }
    });
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_REQUEST_BYTES && !received) socket.destroy();
      else if (!received) reader.push(chunk);
    });
  });

  const listening = await listen(server, address);
  if (listening.state === 'already-running') return 'already-running';
  const { inode } = listening;
  const stopped = new Promise<'stopped'>((resolve) =>
    server.on('close', () => {
      writeCaches();
      removeSocketIfOurs(address.socket, inode);
      resolve('stopped');
    }),
  );
  // After a rebuild or an upgrade, clients talk to a daemon of the new build: this one only holds memory.
  const installed = setInterval(() => {
    if (!working && !options.stillInstalled()) stop();
  }, options.installedCheckMs ?? INSTALLED_CHECK_MS);
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  if (options.warmUp) setImmediate(options.warmUp);
  idle();
  return stopped;

  function stop(): void {
    if (stopping) return;
    stopping = true;
    clearTimeout(idleTimer);
    clearInterval(installed);
    server.close();
    // Open connections keep a closed server alive: queued clients are let go, and a run that does not end in time is cut short.
    for (const { socket } of queue.splice(0)) socket.destroy();
    setTimeout(() => {
      writeCaches();
      removeSocketIfOurs(address.socket, inode);
      process.exit(0);
    }, STOP_GRACE_MS).unref();
  }

  function writeCachesSoon(): void {
    clearTimeout(writeTimer);
    // Never in the middle of a run: its caches are written with the next.
    writeTimer = setTimeout(() => (working ? writeCachesSoon() : writeCaches()), options.cacheWriteDelayMs ?? CACHE_WRITE_DELAY_MS);
  }

  function writeCaches(): void {
    clearTimeout(writeTimer);
    writeTimer = undefined;
    const umask = process.umask(writeUmask);
    try {
      flushCacheWrites();
    } finally {
      process.umask(umask);
    }
  }

  function idle(): void {
    clearTimeout(idleTimer);
    if (options.idleTimeoutMinutes > 0 && !stopping) idleTimer = setTimeout(stop, Math.min(options.idleTimeoutMinutes * 60_000, MAX_TIMER_MS));
  }

  async function work(): Promise<void> {
    if (working) return;
    working = true;
    try {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { body, socket } = next;
        // A client that gave up waiting (Ctrl-C) does not get its run.
        if (socket.closed || socket.destroyed) continue;
        clearTimeout(idleTimer);
        // Files are created with the umask of the client whose run wrote them.
        if (writeTimer !== undefined && body.umask !== writeUmask) writeCaches();
        runs++;
        await runFor(body, socket);
        // The caches are written once the reply has gone (a report can be megabytes) and no run follows.
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
        if (writeTimer === undefined) pendingSince = Date.now();
        writeUmask = body.umask;
        if (Date.now() - pendingSince >= Math.max(MAX_CACHE_WRITE_DELAY_MS, options.cacheWriteDelayMs ?? 0)) writeCaches();
        else writeCachesSoon();
        idle();
      }
    } finally {
      working = false;
    }
  }

  async function runFor(body: RunRequest, socket: net.Socket): Promise<void> {
    const io: IO = {
      stdout: (text) => write(socket, FRAME.stdout, text),
      stderr: (text) => write(socket, FRAME.stderr, text),
      isTTY: body.stdoutIsTTY,
      errIsTTY: body.stderrIsTTY,
    };
    const cwd = process.cwd();
    const env = process.env;
    const umask = process.umask();
    let exit: number;
    try {
      process.umask(body.umask);
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
  const [header, body] = encodeFrame(kind, payload);
  socket.write(header);
  socket.write(body, 'utf8');
}

type Listening = { state: 'listening'; inode: number } | { state: 'already-running' };

/**
 * Listens on the address. The socket is bound under a name of its own, then linked to the
 * address, which fails when something is there: a daemon that answers (another client started it
 * at the same moment), or the socket file of one that was killed, which is removed (if it is still
 * the file that did not answer) before trying again. Two daemons starting at once so never take
 * each other's address, and one that stops removes the address only while it is its own.
 */
async function listen(server: net.Server, address: DaemonAddress): Promise<Listening> {
  const own = `${address.socket}.${process.pid}`;
  rmSync(own, { force: true });
  await bind(server, own);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(own, address.socket);
        return { state: 'listening', inode: lstatSync(own).ino };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const before = inodeOf(address.socket);
      const answered = (await request(address, { protocol: DAEMON_PROTOCOL, op: 'status' }, () => undefined, { timeoutMs: 5_000 })) === 'done';
      if (answered) {
        await new Promise((resolve) => server.close(resolve));
        return { state: 'already-running' };
      }
      removeSocketIfOurs(address.socket, before);
    }
    throw new Error(`${address.socket} is taken`);
  } finally {
    rmSync(own, { force: true });
  }
}

function bind(server: net.Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function inodeOf(file: string): number | undefined {
  try {
    return lstatSync(file).ino;
  } catch {
    return undefined;
  }
}

/** Removes the socket file when it is still the one with this inode (not a newer daemon's). */
function removeSocketIfOurs(socket: string, inode: number | undefined): void {
  if (inode === undefined || inodeOf(socket) !== inode) return;
  rmSync(socket, { force: true });
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
      Number.isInteger(body.umask) &&
      (body.umask as number) >= 0 &&
      (body.umask as number) <= 0o777 &&
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
        umask: body.umask as number,
        stdoutIsTTY: body.stdoutIsTTY === true,
        stderrIsTTY: body.stderrIsTTY === true,
      };
    }
  } catch {
    // Not JSON: refused below.
  }
  return undefined;
}
