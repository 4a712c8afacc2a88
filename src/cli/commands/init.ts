import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { RULES } from '../../check/registry.js';
import { defaultConfig } from '../../config/defaults.js';
import { discoverProject, readSourceText } from '../../discover/index.js';
import { selectAdapters } from '../../extract/adapters/index.js';
import { writeFileAtomic } from '../../io/write-file-atomic.js';
import { UsageError } from '../../model/errors.js';
import type { ServiceAssignment } from '../../model/project.js';
import type { CliContext } from '../context.js';

export interface InitAnswers {
  external: string[];
}

export interface RepositoryFacts {
  services: ServiceAssignment[];
  adapters: string[];
  asyncapiDocuments: string[];
}

/** What `init` detects: services, the messaging libraries in use, AsyncAPI documents. */
export function detectRepository(dir: string): RepositoryFacts {
  const { layout } = discoverProject(dir, defaultConfig(path.resolve(dir)));
  const adapters = selectAdapters(layout.dependencies, {}).adapters.filter((adapter) => !adapter.builtin).map((adapter) => adapter.id);
  const asyncapiDocuments = layout.dataFiles.filter((file) => {
    const source = readSourceText(layout.root, file);
    return 'text' in source && /^\s*["']?asyncapi["']?\s*:/m.test(source.text.slice(0, 4096));
  });
  return { services: layout.services, adapters, asyncapiDocuments };
}

/** A commented choreolint.yaml: what was detected, every rule at its default, and where to change it. */
export function renderInitialConfig(facts: RepositoryFacts, answers: InitAnswers): string {
  const lines = [
    '# choreolint configuration: https://github.com/choreolint/choreolint/blob/main/docs/configuration.md',
    '# Written by `choreolint init`. Detected in this repository:',
    `#   services: ${facts.services.map((service) => `${service.name} (${service.path})`).join(', ') || 'none yet'}`,
    `#   messaging libraries: ${facts.adapters.join(', ') || 'none (Node EventEmitter and AsyncAPI are always read)'}`,
    `#   AsyncAPI documents: ${facts.asyncapiDocuments.join(', ') || 'none'}`,
    '',
    '# Services are one per workspace package (else one per folder under services/ or apps/).',
    '# To name them by paths instead, list them; the first matching entry wins:',
    '# services:',
    ...facts.services.slice(0, 3).flatMap((service) => [`#   - name: ${service.name}`, `#     paths: ["${service.path === '.' ? '**' : `${service.path}/**`}"]`]),
    '',
    '# Events produced or consumed outside this repository: not reported as orphan or dangling.',
    `external: [${answers.external.map((name) => JSON.stringify(name)).join(', ')}]`,
    '',
    '# Each rule: off, warn or error, or [severity, { options }]. `choreolint explain <rule>` documents it.',
    'rules:',
    ...RULES.map((rule) => `  ${rule.meta.id}: ${rule.meta.defaultSeverity}  # ${rule.meta.description}`),
    '',
  ];
  return `${lines.join('\n')}`;
}

export function registerInit(program: Command, context: CliContext): void {
  program
    .command('init')
    .description('write a commented choreolint.yaml for the repository (asks on a terminal; --yes takes the defaults)')
    .argument('[dir]', 'the repository', '.')
    .option('-y, --yes', 'take the defaults without asking')
    .option('--force', 'overwrite an existing choreolint.yaml')
    .action(async (dir: string, options: { yes?: boolean; force?: boolean }) => {
      const file = path.join(path.resolve(dir), 'choreolint.yaml');
      if (existsSync(file) && !options.force) throw new UsageError(`${path.relative(process.cwd(), file) || file} exists (use --force to overwrite it)`);
      const facts = detectRepository(dir);
      const answers: InitAnswers = { external: [] };
      if (!options.yes && process.stdin.isTTY && context.io.isTTY) {
        const prompt = createInterface({ input: process.stdin, output: process.stdout });
        try {
          context.io.stdout(`Found ${facts.services.length} services, libraries: ${facts.adapters.join(', ') || 'none'}, ${facts.asyncapiDocuments.length} AsyncAPI documents.\n`);
          const external = await prompt.question('Events produced or consumed outside this repository (comma-separated, * as a wildcard; empty for none): ');
          answers.external = external.split(',').map((name) => name.trim()).filter(Boolean);
          const confirm = (await prompt.question(`Write ${path.relative(process.cwd(), file) || file}? [Y/n] `)).trim().toLowerCase();
          if (confirm === 'n' || confirm === 'no') return;
        } finally {
          prompt.close();
        }
      }
      writeFileAtomic(file, renderInitialConfig(facts, answers));
      context.io.stdout(`Wrote ${path.relative(process.cwd(), file) || file}: ${facts.services.length} services, ${facts.adapters.length} messaging libraries, ${facts.asyncapiDocuments.length} AsyncAPI documents. Run \`choreolint check\` next.\n`);
    });
}
