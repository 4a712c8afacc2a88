import type { Command } from 'commander';
import { analyze } from '../../analyze.js';
import { CHECK_FORMATS } from '../../report/check-formats.js';
import { analyzeOptionsOf, emit, EXIT, useColor, withCommonOptions, type CliContext, type CommonOptions } from '../context.js';

export function registerCheck(program: Command, context: CliContext): void {
  withCommonOptions(program.command('check').description('check the topology and report findings'), Object.keys(CHECK_FORMATS), 'stylish').action(
    async (dir: string, options: CommonOptions) => {
      const result = await analyze(analyzeOptionsOf(dir, options));
      emit(context.io, CHECK_FORMATS[options.format]!(result, { color: useColor(context.io, options) }), options.output);
      context.setExitCode(result.findings.some((finding) => finding.severity === 'error') ? EXIT.findings : EXIT.clean);
    },
  );
}
