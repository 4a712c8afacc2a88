import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { analyze, type AnalyzeOptions } from '../analyze.js';
import { explainRule } from './explain.js';
import { readResultDocument } from './read-result.js';
import { ConfigError } from '../config/types.js';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import { UsageError } from '../model/errors.js';
import type { Result } from '../model/result.js';
import { renderAsyncApi } from '../report/asyncapi.js';
import { CHECK_FORMATS, GRAPH_FORMATS, GRAPH_VIEWS, type GraphView, type Reporter } from '../report/index.js';
import { VERSION } from '../version.js';

export const EXIT = { clean: 0, findings: 1, error: 2 } as const;

interface CommonOptions {
  config?: string;
  with?: string[];
  format: string;
  output?: string;
  color?: boolean;
  debug?: boolean;
}

interface IO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
}

const processIO: IO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: process.stdout.isTTY === true,
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
    .showHelpAfterError('(run with --help for usage)');

  const common = (command: Command, formats: Record<string, Reporter>, defaultFormat: string) =>
    command
      .argument('[dir]', 'directory to analyze', '.')
      .option('-c, --config <file>', 'config file (default: choreolint.yaml found walking up from dir)')
      .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(formats)).default(defaultFormat))
      .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout')
      .option('--with <results...>', 'add the result documents (--format json) of other repositories to the topology')
      .option('--no-color', 'never colour the output')
      .option('--debug', 'print stack traces of internal errors');

  common(program.command('check').description('check the topology and report findings'), CHECK_FORMATS, 'stylish').action(
    async (dir: string, options: CommonOptions) => {
      const result = await analyze(analyzeOptions(dir, options));
      emit(CHECK_FORMATS[options.format]!, result, options, 'events');
      exitCode = result.findings.some((finding) => finding.severity === 'error') ? EXIT.findings : EXIT.clean;
    },
  );

  common(program.command('graph').description('draw the topology'), GRAPH_FORMATS, 'mermaid')
    .addOption(new Option('--view <view>', 'what to draw').choices([...GRAPH_VIEWS]).default('events'))
    .action(async (dir: string, options: CommonOptions & { view: GraphView }) => {
      const result = await analyze(analyzeOptions(dir, options));
      emit(GRAPH_FORMATS[options.format]!, result, options, options.view);
    });

  program
    .command('asyncapi')
    .description('write an AsyncAPI 3.0 document for a service from what its code does')
    .argument('[dir]', 'directory to analyze', '.')
    .requiredOption('-s, --service <name>', 'the service to describe')
    .option('-c, --config <file>', 'config file (default: choreolint.yaml found walking up from dir)')
    .option('-o, --output <file>', 'write the document to a file (atomically) instead of stdout')
    .action(async (dir: string, options: CommonOptions & { service: string }) => {
      const result = await analyze(analyzeOptions(dir, options));
      const services = result.services.map((service) => service.name);
      if (!services.includes(options.service)) {
        throw new UsageError(`unknown service "${options.service}"; services: ${services.join(', ') || '(none)'}`);
      }
      const text = renderAsyncApi(result, options.service);
      if (options.output) writeFileAtomic(options.output, text);
      else io.stdout(text);
    });

  program
    .command('explain')
    .description("print a rule's documentation (without a rule: list the rules)")
    .argument('[rule]', 'rule id')
    .action((id: string | undefined) => {
      io.stdout(explainRule(id));
    });

  try {
    await program.parseAsync(argv as string[]);
    return exitCode;
  } catch (error) {
    return fail(error);
  }

  function analyzeOptions(dir: string, options: CommonOptions): AnalyzeOptions {
    return {
      dir,
      ...(options.config ? { configFile: options.config } : {}),
      ...(options.with ? { with: options.with.map(readResultDocument) } : {}),
    };
  }

  function emit(reporter: Reporter, result: Result, options: CommonOptions, view: GraphView): void {
    const color = options.color !== false && !options.output && io.isTTY && !process.env.NO_COLOR;
    const text = reporter(result, { color, view });
    if (options.output) writeFileAtomic(options.output, text);
    else io.stdout(text);
  }

  function fail(error: unknown): number {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT.clean : EXIT.error;
    }
    if (error instanceof ConfigError) {
      io.stderr(`choreolint: ${error.format(error.file && path.relative(process.cwd(), error.file))}\n`);
    } else if (error instanceof UsageError) {
      io.stderr(`choreolint: ${error.message}\n`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      io.stderr(`choreolint: internal error: ${message}${debug ? '' : ' (run with --debug for the stack trace)'}\n`);
    }
    if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT.error;
  }
}
