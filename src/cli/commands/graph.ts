import { Option, type Command } from 'commander';
import { analyze } from '../../analyze.js';
import { UsageError } from '../../model/errors.js';
import { resolveFocus } from '../../report/diagram/index.js';
import { COLLAPSE_KINDS, GRAPH_FORMATS, GRAPH_VIEWS, type CollapseKind, type GraphView } from '../../report/graph-formats.js';
import { analyzeOptionsOf, emit, useColor, withCommonOptions, type CliContext, type CommonOptions } from '../context.js';

interface GraphOptions extends CommonOptions {
  view: GraphView;
  focus?: string;
  depth?: string;
  collapse?: string[];
}

export function registerGraph(program: Command, context: CliContext): void {
  withCommonOptions(program.command('graph').description('draw the topology: services, events or flows, as Mermaid, DOT, SVG, JSON or an HTML page'), Object.keys(GRAPH_FORMATS), 'mermaid')
    .addOption(new Option('--view <view>', 'what to draw').choices([...GRAPH_VIEWS]).default('events'))
    .option('--focus <event|service>', 'draw only the neighbourhood of an event or a service')
    .option('--depth <n>', 'how many hops around --focus to keep (default: 2)')
    .option('--collapse <kinds>', `group services by folder, events by domain (their name's first segment): ${COLLAPSE_KINDS.join(', ')} (comma-separated or repeated)`, (value: string, previous: string[] = []) => [...previous, value])
    .action(async (dir: string, options: GraphOptions) => {
      const depth = options.depth === undefined ? undefined : Number(options.depth);
      if (depth !== undefined && (!Number.isInteger(depth) || depth < 0)) throw new UsageError('--depth needs a whole number ≥ 0');
      if (depth !== undefined && options.focus === undefined) throw new UsageError('--depth needs --focus <event|service>');
      const collapse = collapseKinds(options.collapse);
      const result = await analyze(analyzeOptionsOf(dir, options));
      if (options.focus !== undefined) {
        const found = resolveFocus(result, options.focus);
        if (found.events.length + found.services.length === 0) {
          const hint = found.suggestions.length > 0 ? ` (did you mean ${found.suggestions.map((name) => `"${name}"`).join(', ')}?)` : '';
          throw new UsageError(`--focus ${options.focus}: no event or service by that name${hint}`);
        }
      }
      const output = await GRAPH_FORMATS[options.format]!(result, {
        color: useColor(context.io, options),
        view: options.view,
        ...(options.focus !== undefined ? { focus: options.focus } : {}),
        ...(depth !== undefined ? { depth } : {}),
        ...(collapse.length > 0 ? { collapse } : {}),
      });
      emit(context.io, output.text, options.output);
      for (const note of output.notes) context.io.stderr(`choreolint: note: ${note}\n`);
    });
}

/** `--collapse folder --collapse domain`, `--collapse folder,domain`. */
function collapseKinds(values: string[] | undefined): CollapseKind[] {
  const kinds = (values ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
  for (const kind of kinds) {
    if (!(COLLAPSE_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--collapse ${kind}: expected ${COLLAPSE_KINDS.join(' or ')}`);
  }
  return COLLAPSE_KINDS.filter((kind) => kinds.includes(kind));
}
