import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/types.js';
import { FileWriteError } from '../io/write-file-atomic.js';
import { UsageError } from '../model/errors.js';
import { VERSION } from '../version.js';
import { registerAsyncApi } from './commands/asyncapi.js';
import { registerCheck } from './commands/check.js';
import { registerDaemon } from './commands/daemon.js';
import { registerExplain } from './commands/explain.js';
import { registerFlow } from './commands/flow.js';
import { registerGraph } from './commands/graph.js';
import { registerInit } from './commands/init.js';
import { EXIT, type CliContext, type IO } from './context.js';

export { EXIT } from './context.js';

const processIO: IO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stdout.isTTY === true,
  errIsTTY: process.stderr.isTTY === true,
};

/** Runs the CLI and returns its exit code: 0 clean, 1 error-level findings, 2 usage, config or internal error. */
export async function main(argv: readonly string[], io: IO = processIO): Promise<number> {
  let exitCode: number = EXIT.clean;
  const debug = argv.includes('--debug');
  const program = new Command('choreolint')
    .description('Static analyzer for event choreography: rebuilds, checks and draws who publishes and who reacts.')
    .version(VERSION, '-v, --version')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    // bin/choreolint.js acts on these before the CLI loads (see src/daemon/client.ts): here they are only accepted.
    .option('--daemon', 'hand the run to the daemon, starting it in the background when it is not running')
    .option('--no-daemon', 'run in this process even when a daemon is running');

  const context: CliContext = { io, setExitCode: (code) => (exitCode = code), runCli: main };
  for (const register of [registerCheck, registerGraph, registerFlow, registerAsyncApi, registerExplain, registerInit, registerDaemon]) register(program, context);

  try {
    await program.parseAsync(argv as string[]);
    return exitCode;
  } catch (error) {
    return fail(error);
  }

  function fail(error: unknown): number {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT.clean : EXIT.error;
    }
    if (error instanceof ConfigError) {
      io.stderr(`choreolint: ${error.format(error.file && path.relative(process.cwd(), error.file))}\n`);
    } else if (error instanceof UsageError) {
      io.stderr(`choreolint: ${error.message}\n`);
    } else if (error instanceof FileWriteError) {
      io.stderr(`choreolint: cannot write ${path.relative(process.cwd(), path.resolve(error.file)) || error.file} (${error.reason})\n`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      io.stderr(`choreolint: internal error: ${message}${debug ? '' : ' (run with --debug for the stack trace)'}\n`);
    }
    if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT.error;
  }
}
