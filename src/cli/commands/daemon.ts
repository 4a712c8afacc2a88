import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { Command } from 'commander';
import { preloadTypeScript } from '../../analyze.js';
import { daemonAddress, daemonStatus, startDaemon, stopDaemon, type DaemonAddress, type DaemonStatus } from '../../daemon/client.js';
import { serveDaemon } from '../../daemon/server.js';
import { UsageError } from '../../model/errors.js';
import { packageRoot } from '../../util/package-root.js';
import { buildId, installedBuildId } from '../../version.js';
import { EXIT, type CliContext } from '../context.js';

const DEFAULT_IDLE_MINUTES = 60;
const HEAP_GROWING_PERCENT = 100;

export function registerDaemon(program: Command, context: CliContext): void {
  const daemon = program
    .command('daemon')
    .description('a resident process that check, graph, flow and asyncapi hand their runs to (fast pre-commit hooks)');

  daemon
    .command('start')
    .description('start the daemon in the background (it stops after idling, or with "daemon stop")')
    .option('--idle-timeout <minutes>', `stop after this many minutes without a run (0: never)`, String(DEFAULT_IDLE_MINUTES))
    .action(async (options: { idleTimeout: string }) => {
      const address = addressOrFail();
      const running = await daemonStatus(address);
      if (running) {
        context.io.stdout(`choreolint: the daemon is already running (${describe(running)})\n`);
        return;
      }
      const status = await startDaemon(address, path.join(packageRoot(), 'bin', 'choreolint.js'), { idleTimeoutMinutes: idleMinutes(options.idleTimeout), wait: true });
      if (!status) throw new UsageError(`the daemon did not start (socket ${address.socket})`);
      context.io.stdout(`choreolint: the daemon started (${describe(status)})\n`);
    });

  daemon
    .command('stop')
    .description('stop the daemon')
    .action(async () => {
      const stopped = await stopDaemon(addressOrFail());
      context.io.stdout(stopped ? 'choreolint: the daemon stopped\n' : 'choreolint: no daemon is running\n');
    });

  daemon
    .command('status')
    .description('whether the daemon runs, and what it has done (exit code 1 when it does not run)')
    .action(async () => {
      const status = await daemonStatus(addressOrFail());
      if (!status) {
        context.io.stdout('choreolint: no daemon is running\n');
        context.setExitCode(EXIT.findings);
        return;
      }
      context.io.stdout(
        `choreolint: the daemon is running (${describe(status)}): ${status.runs} run${status.runs === 1 ? '' : 's'} since ${status.startedAt}, ` +
          `cache files taken from memory ${status.cacheHits} times and read ${status.cacheMisses} times, ${status.rssMiB} MiB (peak ${status.peakRssMiB} MiB), ` +
          `${status.idleTimeoutMinutes > 0 ? `stops after ${status.idleTimeoutMinutes} idle minutes` : 'never stops on its own'}\n`,
      );
    });

  daemon
    .command('serve', { hidden: true })
    .description('run the daemon in this process (what "daemon start" runs in the background)')
    .option('--socket <path>', 'listen here instead of the default address')
    .option('--idle-timeout <minutes>', 'stop after this many minutes without a run (0: never)', String(DEFAULT_IDLE_MINUTES))
    .option('--installed-check <ms>', 'how often to check that this build is still the one installed')
    .option('--cache-write-delay <ms>', 'how long after a reply to wait for the next run before writing the caches')
    .action(async (options: { socket?: string; idleTimeout: string; installedCheck?: string; cacheWriteDelay?: string }) => {
      const address = addressOrFail();
      // V8 lets a heap whose collections are quick grow up to 4× what is live before collecting
      // again, and each run leaves its structures as garbage: a resident daemon peaked at
      // 440–490 MiB at 10,000 files (60 MB live). Doubling at most: 240–320 MiB, runs 3–5 % slower.
      setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
      const served = await serveDaemon({
        address: options.socket ? { dir: path.dirname(options.socket), socket: options.socket } : address,
        build: buildId()!,
        idleTimeoutMinutes: idleMinutes(options.idleTimeout),
        stillInstalled: () => installedBuildId() === buildId(),
        warmUp: preloadTypeScript,
        ...(options.installedCheck ? { installedCheckMs: Number(options.installedCheck) } : {}),
        ...(options.cacheWriteDelay ? { cacheWriteDelayMs: Number(options.cacheWriteDelay) } : {}),
        run: context.runCli,
      });
      if (served === 'already-running') context.io.stderr('choreolint: a daemon is already listening there\n');
    });
}

/** The daemon of this build; a choreolint that was not built with `npm run build` has none. */
function addressOrFail(): DaemonAddress {
  const id = buildId();
  if (!id) throw new UsageError('this choreolint has no build id (dist/build-id): run "npm run build" to use the daemon');
  const address = daemonAddress(id);
  if ('unavailable' in address) throw new UsageError(address.unavailable);
  return address;
}

function idleMinutes(text: string): number {
  const minutes = Number(text);
  if (!Number.isFinite(minutes) || minutes < 0) throw new UsageError('--idle-timeout needs a number of minutes ≥ 0');
  return minutes;
}

function describe(status: DaemonStatus): string {
  return `pid ${status.pid}`;
}
