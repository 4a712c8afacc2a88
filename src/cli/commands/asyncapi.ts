import type { Command } from 'commander';
import { analyze } from '../../analyze.js';
import { UsageError } from '../../model/errors.js';
import { renderAsyncApi } from '../../report/asyncapi.js';
import { analyzeOptionsOf, emit, type CliContext, type CommonOptions } from '../context.js';

export function registerAsyncApi(program: Command, context: CliContext): void {
  program
    .command('asyncapi')
    .description('write an AsyncAPI 3.0 document for a service from what its code does')
    .argument('[dir]', 'directory to analyze', '.')
    .requiredOption('-s, --service <name>', 'the service to describe')
    .option('-c, --config <file>', 'config file (default: choreolint.yaml found walking up from dir)')
    .option('-o, --output <file>', 'write the document to a file (atomically) instead of stdout')
    .action(async (dir: string, options: CommonOptions & { service: string }) => {
      const result = await analyze(analyzeOptionsOf(dir, options));
      const services = result.services.map((service) => service.name);
      if (!services.includes(options.service)) {
        throw new UsageError(`unknown service "${options.service}"; services: ${services.join(', ') || '(none)'}`);
      }
      emit(context.io, renderAsyncApi(result, options.service), options.output);
    });
}
