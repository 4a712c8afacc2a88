// The client side of the daemon. bin/choreolint.js imports this module (as tsc compiles it, not the
// bundle) before anything else, so it holds nothing but Node's own modules: a run that the daemon
// answers never loads the bundle.
import { closeSync, lstatSync, mkdirSync, openSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { encodeFrame, FRAME, FrameReader } from './frames.js';

export const DAEMON_PROTOCOL = 1;

/** Status and stop are answered at once, whatever the daemon is running. */
const STATUS_TIMEOUT_MS = 5_000;

/** The commands a daemon runs: those that analyze. init (which may prompt) and daemon itself run where they were started. */
const FORWARDED = new Set(['check', 'graph', 'flow', 'asyncapi']);

export interface DaemonAddress {
  /** The private directory that holds the socket. */
  dir: string;
  /** The socket (a named pipe on Windows). */
  socket: string;
}

/** A request: run these CLI arguments as this process would, or report on or stop the daemon. */
export type DaemonRequest =
  | { protocol: number; op: 'run'; args: string[]; cwd: string; env: Record<string, string | undefined>; umask: number; stdoutIsTTY: boolean; stderrIsTTY: boolean }
  | { protocol: number; op: 'status' }
  | { protocol: number; op: 'stop' };

/** A reply's messages (its output comes in frames of its own). */
export type DaemonMessage = { exit: number } | { status: DaemonStatus } | { stopping: true } | { refused: string };

/** What a reply is made of: output as it was written, and messages. */
export type DaemonReply = { stdout: Buffer } | { stderr: Buffer } | { message: DaemonMessage };

export interface DaemonStatus {
  pid: number;
  build: string;
  startedAt: string;
  runs: number;
  idleTimeoutMinutes: number;
  /** How often a run took a cache file from memory, and read one from disk. */
  cacheHits: number;
  cacheMisses: number;
  rssMiB: number;
  peakRssMiB: number;
}

/**
 * A Unix socket's path must fit in `sockaddr_un` (108 bytes on Linux, 104 on macOS, with its NUL);
 * a longer one would be cut short without an error. The daemon also binds `<socket>.<pid>` first.
 */
const MAX_SOCKET_PATH_BYTES = 103 - '.4194304'.length;

/**
 * Where the daemon of this build listens: one per user and build (a rebuilt or upgraded choreolint
 * never talks to an older daemon), serving every repository. CHOREOLINT_DAEMON_DIR moves it.
 * Undefined, with the reason, where there is none: on Windows (a named pipe has no directory to
 * keep other users out, so another user could pose as the daemon), or when the path is too long.
 */
export function daemonAddress(build: string, env: NodeJS.ProcessEnv = process.env): DaemonAddress | { unavailable: string } {
  if (process.platform === 'win32') return { unavailable: 'the daemon is not available on Windows' };
  const dir = env.CHOREOLINT_DAEMON_DIR ? path.resolve(env.CHOREOLINT_DAEMON_DIR) : path.join(os.tmpdir(), `choreolint-${process.getuid!()}`);
  const socket = path.join(dir, `${build.replace(/[^\w]/g, '_').slice(0, 16)}.sock`);
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH_BYTES) {
    return { unavailable: `the daemon's socket path ${socket} is longer than Unix allows: set CHOREOLINT_DAEMON_DIR to a shorter directory` };
  }
  return { dir, socket };
}

/** The daemon's log: what it printed outside any run. */
function daemonLog(address: DaemonAddress): string {
  return path.join(address.dir, `${path.basename(address.socket).replace(/\.sock$/, '')}.log`);
}

/**
 * Creates the socket's directory private to this user, or checks that it is: a socket in a
 * directory others can write could be someone else's, who would then see every run's source.
 */
export function ensurePrivateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    return false;
  }
  return isPrivateDir(dir);
}

/**
 * Whether the directory exists, only this user can reach into it, and nobody else can replace it
 * (its parent is not writable by others, or is sticky, as /tmp is).
 */
function isPrivateDir(dir: string): boolean {
  try {
    const stats = lstatSync(dir);
    if (!stats.isDirectory() || stats.uid !== process.getuid!() || (stats.mode & 0o077) !== 0) return false;
    const parent = lstatSync(path.dirname(dir));
    return (parent.uid === 0 || parent.uid === stats.uid) && ((parent.mode & 0o022) === 0 || (parent.mode & 0o1000) !== 0);
  } catch {
    return false;
  }
}

/** The subcommand in CLI arguments (after node and the script): the first that is not an option. */
function commandOf(args: readonly string[]): string | undefined {
  return args.find((arg) => !arg.startsWith('-'));
}

/** Whether the daemon runs these arguments: an analyzing command, not its help (laid out for the client's terminal). */
export function isForwarded(args: readonly string[]): boolean {
  const command = commandOf(args);
  return command !== undefined && FORWARDED.has(command) && !args.some((arg) => arg === '--help' || arg === '-h');
}

/**
 * Whether a run goes to the daemon: only analyzing commands, never with --no-daemon or
 * CHOREOLINT_DAEMON=0; with --daemon, a daemon that is not running is started.
 */
export function daemonUse(args: readonly string[], env: NodeJS.ProcessEnv = process.env): 'no' | 'if-running' | 'start' {
  if (!isForwarded(args) || args.includes('--no-daemon') || env.CHOREOLINT_DAEMON === '0') return 'no';
  return args.includes('--daemon') ? 'start' : 'if-running';
}

/** Sends one request and calls `onReply` with each part of the reply; resolves when the daemon closes the connection. */
export function request(
  address: DaemonAddress,
  body: DaemonRequest,
  onReply: (reply: DaemonReply) => void,
  { timeoutMs }: { timeoutMs?: number } = {},
): Promise<'done' | 'unreachable' | 'broken'> {
  return new Promise((resolve) => {
    const socket = net.connect(address.socket);
    let connected = false;
    let broken = false;
    // A status or stop request is answered at once; a daemon that does not is as good as none.
    if (timeoutMs !== undefined) {
      const timer = setTimeout(() => {
        broken = true;
        socket.destroy();
      }, timeoutMs);
      socket.once('close', () => clearTimeout(timer));
    }
    const reader = new FrameReader((kind, payload) => {
      if (kind === FRAME.stdout) onReply({ stdout: payload });
      else if (kind === FRAME.stderr) onReply({ stderr: payload });
      else if (kind === FRAME.message) {
        try {
          onReply({ message: JSON.parse(payload.toString('utf8')) as DaemonMessage });
        } catch {
          broken = true;
          socket.destroy();
        }
      }
    });
    socket.on('connect', () => {
      connected = true;
      const [header, payload] = encodeFrame(FRAME.message, JSON.stringify(body));
      socket.write(header);
      socket.write(payload, 'utf8');
    });
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('error', () => (broken = connected));
    socket.on('close', () => resolve(!connected ? 'unreachable' : broken || reader.pending ? 'broken' : 'done'));
  });
}

/**
 * Runs CLI arguments in the daemon, if one is listening, with this process's directory,
 * environment, umask and terminals. Returns the exit code, or undefined when no daemon could run
 * it (none listening, or one that stopped mid-run): the caller runs it itself. The output is
 * printed once the run has finished, stdout and stderr in the order they were written, so a run
 * that must be repeated has printed nothing; only progress on a terminal's stderr is shown as it
 * comes.
 */
export async function runInDaemon(address: DaemonAddress, args: string[]): Promise<number | undefined> {
  if (!isPrivateDir(address.dir)) return undefined;
  const output: Array<[stream: NodeJS.WriteStream, bytes: Buffer]> = [];
  const liveStderr = process.stderr.isTTY === true;
  let exit: number | undefined;
  const outcome = await request(
    address,
    {
      protocol: DAEMON_PROTOCOL,
      op: 'run',
      args,
      cwd: process.cwd(),
      env: { ...process.env },
      umask: process.umask(),
      stdoutIsTTY: process.stdout.isTTY === true,
      stderrIsTTY: liveStderr,
    },
    (reply) => {
      if ('stdout' in reply) output.push([process.stdout, reply.stdout]);
      else if ('stderr' in reply && liveStderr) process.stderr.write(reply.stderr);
      else if ('stderr' in reply) output.push([process.stderr, reply.stderr]);
      else if ('exit' in reply.message) exit = reply.message.exit;
    },
  );
  if (outcome !== 'done' || exit === undefined) {
    if (outcome !== 'unreachable') process.stderr.write('choreolint: the daemon stopped during the run; running without it\n');
    return undefined;
  }
  for (let start = 0; start < output.length; ) {
    // Consecutive parts for one stream go out in one write.
    let end = start + 1;
    while (end < output.length && output[end]![0] === output[start]![0]) end++;
    const stream = output[start]![0];
    const bytes = Buffer.concat(output.slice(start, end).map(([, part]) => part));
    await new Promise<void>((resolve) => stream.write(bytes, () => resolve()));
    start = end;
  }
  return exit;
}

/** The daemon's status, or undefined when none is listening. */
export async function daemonStatus(address: DaemonAddress): Promise<DaemonStatus | undefined> {
  let status: DaemonStatus | undefined;
  await request(
    address,
    { protocol: DAEMON_PROTOCOL, op: 'status' },
    (reply) => {
      if ('message' in reply && 'status' in reply.message) status = reply.message.status;
    },
    { timeoutMs: STATUS_TIMEOUT_MS },
  );
  return status;
}

/** Asks the daemon to stop; resolves true when one was listening. */
export async function stopDaemon(address: DaemonAddress): Promise<boolean> {
  let stopping = false;
  await request(
    address,
    { protocol: DAEMON_PROTOCOL, op: 'stop' },
    (reply) => {
      if ('message' in reply && 'stopping' in reply.message) stopping = true;
    },
    { timeoutMs: STATUS_TIMEOUT_MS },
  );
  return stopping;
}

/**
 * Starts a daemon in the background (`choreolint daemon serve`), detached from this process and
 * its terminal. With `wait`, resolves its status once it answers (undefined if it did not within
 * ten seconds).
 */
export async function startDaemon(address: DaemonAddress, cli: string, options: { idleTimeoutMinutes?: number; wait?: boolean } = {}): Promise<DaemonStatus | undefined> {
  if (!ensurePrivateDir(address.dir)) return undefined;
  const args = [cli, 'daemon', 'serve', '--socket', address.socket];
  if (options.idleTimeoutMinutes !== undefined) args.push('--idle-timeout', String(options.idleTimeoutMinutes));
  // What the daemon says outside any run (why it could not listen, a crash) goes to a log beside the socket.
  let log: number | 'ignore' = 'ignore';
  try {
    log = openSync(daemonLog(address), 'w', 0o600);
  } catch {
    // No log: the daemon runs all the same.
  }
  // Loaded here: a client that only talks to a running daemon should not pay for it at start-up.
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log], cwd: address.dir, env: { ...process.env, CHOREOLINT_DAEMON: '0' }, windowsHide: true });
  if (typeof log === 'number') closeSync(log);
  let exited = false;
  child.once('exit', () => (exited = true));
  child.unref();
  if (!options.wait) return undefined;
  for (let waited = 0; waited < 10_000 && !exited; waited += 50) {
    const status = await daemonStatus(address);
    if (status) return status;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}
