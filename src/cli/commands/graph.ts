import { Option, type Command } from 'commander';
import { analyze } from '../../analyze.js';
import { GRAPH_FORMATS, GRAPH_VIEWS, type GraphView } from '../../report/graph-formats.js';
import { analyzeOptionsOf, emit, useColor, withCommonOptions, type CliContext, type CommonOptions } from '../context.js';

export function registerGraph(program: Command, context: CliContext): void {
  withCommonOptions(program.command('graph').description('draw the topology'), Object.keys(GRAPH_FORMATS), 'mermaid')
    .addOption(new Option('--view <view>', 'what to draw').choices([...GRAPH_VIEWS]).default('events'))
    .action(async (dir: string, options: CommonOptions & { view: GraphView }) => {
      const result = await analyze(analyzeOptionsOf(dir, options));
      emit(context.io, GRAPH_FORMATS[options.format]!(result, { color: useColor(context.io, options), view: options.view }), options.output);
    });
}
