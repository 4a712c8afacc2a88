import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { RULES, findRule } from '../../check/registry.js';
import { suggestClosest } from '../../config/suggest.js';
import { UsageError } from '../../model/errors.js';
import { packageRoot } from '../../util/package-root.js';
import type { CliContext } from '../context.js';

/** A rule's doc page as shipped with the package, or the list of rules. */
export function explainRule(id: string | undefined): string {
  if (!id) {
    const width = Math.max(...RULES.map((rule) => rule.meta.id.length));
    return `${RULES.map((rule) => `${rule.meta.id.padEnd(width)}  ${String(rule.meta.defaultSeverity).padEnd(5)}  ${rule.meta.description}`).join('\n')}\n`;
  }
  const rule = findRule(id);
  if (!rule) {
    const suggestion = suggestClosest(id, RULES.map((candidate) => candidate.meta.id));
    throw new UsageError(`unknown rule "${id}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; run "choreolint explain" for the list`);
  }
  return readFileSync(path.join(packageRoot(), rule.meta.docs), 'utf8');
}

export function registerExplain(program: Command, context: CliContext): void {
  program
    .command('explain')
    .description("print a rule's documentation (without a rule: list the rules)")
    .argument('[rule]', 'rule id')
    .action((id: string | undefined) => {
      context.io.stdout(explainRule(id));
    });
}
