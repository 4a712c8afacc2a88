import { Option, type Command } from 'commander';
import type { AnalyzeOptions } from '../analyze.js';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import { readResultDocument } from './read-result.js';

export const EXIT = { clean: 0, findings: 1, error: 2 } as const;

export interface IO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal (colour), and stderr (progress). */
  isTTY: boolean;
  errIsTTY?: boolean;
}

/** Options every analyzing command takes. */
export interface CommonOptions {
  config?: string;
  with?: string[];
  format: string;
  output?: string;
  color?: boolean;
  debug?: boolean;
}

/** What a command needs from the CLI around it. */
export interface CliContext {
  io: IO;
  setExitCode(code: number): void;
  /** Runs the CLI again with other arguments and IO (the daemon runs its clients' commands with it). */
  runCli(argv: readonly string[], io: IO): Promise<number>;
}

/** `[dir]`, `--config`, `--format`, `--output`, `--with`, `--no-color`, `--debug`. */
export function withCommonOptions(command: Command, formats: readonly string[], defaultFormat: string): Command {
  return command
    .argument('[dir]', 'directory to analyze', '.')
    .option('-c, --config <file>', 'config file (default: choreolint.yaml found walking up from dir)')
    .addOption(new Option('-f, --format <format>', 'output format').choices([...formats]).default(defaultFormat))
    .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout')
    .option('--with <results...>', 'add the result documents (--format json) of other repositories to the topology')
    .option('--no-color', 'never colour the output')
    .option('--debug', 'print stack traces of internal errors');
}

export function analyzeOptionsOf(dir: string, options: Pick<CommonOptions, 'config' | 'with'>): AnalyzeOptions {
  return {
    dir,
    ...(options.config ? { configFile: options.config } : {}),
    ...(options.with ? { with: options.with.map(readResultDocument) } : {}),
  };
}

/** Colour only on a terminal, never into a file, never with NO_COLOR or --no-color. */
export function useColor(io: IO, options: Pick<CommonOptions, 'color' | 'output'>): boolean {
  return options.color !== false && !options.output && io.isTTY && !process.env.NO_COLOR;
}

/** The report to --output (atomically) or to stdout. */
export function emit(io: IO, text: string, output: string | undefined): void {
  if (output) writeFileAtomic(output, text);
  else io.stdout(text);
}
