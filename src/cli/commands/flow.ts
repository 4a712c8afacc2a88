import { Option, type Command } from 'commander';
import { analyze, configuredRules } from '../../analyze.js';
import { UsageError } from '../../model/errors.js';
import { FLOW_FORMATS, resolveFlowStart } from '../../report/flow/index.js';
import { analyzeOptionsOf, emit, useColor, type CliContext, type CommonOptions } from '../context.js';

export function registerFlow(program: Command, context: CliContext): void {
  program
    .command('flow')
    .description('the workflow that starts at an event: every handler it triggers, transitively, with conditions, failure and compensation branches')
    .argument('<event>', 'the event the flow starts at (its name, or its id for an in-process event: name@service)')
    .argument('[dir]', 'directory to analyze', '.')
    .option('-c, --config <file>', 'config file (default: choreolint.yaml found walking up from dir)')
    .addOption(new Option('-f, --format <format>', 'output format: an indented tree, a Mermaid sequence diagram or flowchart, or JSON').choices(Object.keys(FLOW_FORMATS)).default('text'))
    .option('-o, --output <file>', 'write the flow to a file (atomically) instead of stdout')
    .option('--with <results...>', 'add the result documents (--format json) of other repositories to the topology')
    .option('--no-color', 'never colour the output')
    .option('--debug', 'print stack traces of internal errors')
    .action(async (event: string, dir: string, options: CommonOptions) => {
      const analyzeOptions = analyzeOptionsOf(dir, options);
      const result = await analyze(analyzeOptions);
      const start = resolveFlowStart(result, event);
      if (start.events.length === 0) {
        const hint = start.suggestions.length > 0 ? ` (did you mean ${start.suggestions.map((name) => `"${name}"`).join(', ')}?)` : '';
        throw new UsageError(`no event named ${event} in the topology${hint}`);
      }
      if (start.events.length > 1) throw new UsageError(`${event} names ${start.events.length} in-process events: pick one of ${start.events.join(', ')}`);
      // Failure events as missing-compensation is configured, so that flow marks what the rule checks.
      const compensation = configuredRules(analyzeOptions).find(({ rule }) => rule.meta.id === 'missing-compensation');
      const failureEvents = compensation && { patterns: compensation.options.failurePatterns as string[], events: compensation.options.failureEvents as string[] };
      const output = FLOW_FORMATS[options.format]!(result, { color: useColor(context.io, options), event: start.events[0]!, ...(failureEvents ? { failureEvents } : {}) });
      emit(context.io, output.text, options.output);
      for (const note of output.notes) context.io.stderr(`choreolint: note: ${note}\n`);
    });
}
