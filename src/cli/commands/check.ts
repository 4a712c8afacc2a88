import { statSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { analyze, type AnalyzeOptions, type RunMetrics } from '../../analyze.js';
import { applyBaseline, baselineOf } from '../../check/baseline.js';
import { withPathPrefix } from '../../check/relocate.js';
import { scopeToFiles } from '../../check/scope.js';
import { changedFiles, stagedContents, workTreePrefix } from '../../discover/git.js';
import { UsageError } from '../../model/errors.js';
import type { Result } from '../../model/result.js';
import { CHECK_FORMATS } from '../../report/check-formats.js';
import { DEFAULT_BASELINE, readBaseline, writeBaseline } from '../baseline-file.js';
import { analyzeOptionsOf, emit, EXIT, useColor, type CliContext, type CommonOptions } from '../context.js';
import { terminalProgress } from '../progress.js';

/** Formats whose readers take paths from the root of the git work tree. */
const REPOSITORY_ROOT_FORMATS = new Set(['sarif', 'github']);

interface CheckOptions extends CommonOptions {
  changed?: string | true;
  staged?: boolean;
  cache?: boolean;
  cacheLocation?: string;
  baseline?: string;
  updateBaseline?: boolean;
  strictBaseline?: boolean;
  maxWarnings?: string;
  quiet?: boolean;
}

export function registerCheck(program: Command, context: CliContext): void {
  program
    .command('check')
    .description('check the topology and report findings (paths: a directory, or files to report on)')
    .argument('[paths...]', 'the directory to analyze (default: .), or files: report only findings that touch them')
    .option('-c, --config <file>', 'config file (default: choreolint.yaml found walking up from the directory)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(Object.keys(CHECK_FORMATS)).default('stylish'))
    .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout')
    .option('--with <results...>', 'add the result documents (--format json) of other repositories to the topology')
    .option('--changed [revision]', 'report only findings that touch files changed since the revision (default: HEAD, uncommitted changes)')
    .option('--staged', 'report only findings that touch staged files, analyzing their staged content')
    .option('--cache', 'keep per-file summaries between runs (on by default with --changed, --staged and file arguments)')
    .option('--cache-location <dir>', 'where the cache lives (default: node_modules/.cache/choreolint)')
    .option('--baseline <file>', `ignore the known findings listed in this file (default: ${DEFAULT_BASELINE} in the analyzed directory, when present)`)
    .option('--update-baseline', 'write the baseline file from this run’s findings')
    .option('--strict-baseline', 'fail when baseline entries match no finding any more (stale)')
    .option('--max-warnings <n>', 'fail when there are more warnings than this')
    .option('-q, --quiet', 'no progress output, and report errors only')
    .option('--no-color', 'never colour the output')
    .option('--debug', 'print stack traces of internal errors and the run’s metrics')
    .action(async (paths: string[], options: CheckOptions) => {
      const target = targetOf(paths);
      const root = path.resolve(target.dir);
      const maxWarnings = options.maxWarnings === undefined ? undefined : Number(options.maxWarnings);
      if (maxWarnings !== undefined && (!Number.isInteger(maxWarnings) || maxWarnings < 0)) throw new UsageError('--max-warnings needs a whole number ≥ 0');
      const scoped = target.files !== undefined || options.changed !== undefined || options.staged === true;
      if (options.updateBaseline && scoped) throw new UsageError('--update-baseline records the whole repository: drop --changed, --staged and file arguments');

      const staged = options.staged ? stagedContents(root) : undefined;
      const files = target.files ?? (staged ? [...staged.keys()] : options.changed !== undefined ? changedFiles(root, options.changed === true ? undefined : options.changed) : undefined);
      const metrics: RunMetrics = { filesRead: 0, filesParsed: 0, cacheHits: 0 };
      const analyzeOptions: AnalyzeOptions = {
        ...analyzeOptionsOf(root, options),
        ...(options.cache || options.cacheLocation || scoped ? { cacheLocation: path.resolve(options.cacheLocation ?? path.join(root, 'node_modules', '.cache', 'choreolint')) } : {}),
        ...(staged ? { contents: staged } : {}),
        metrics,
        ...(!options.quiet && context.io.errIsTTY ? { onProgress: terminalProgress(context.io.stderr) } : {}),
      };
      let result: Result = await analyze(analyzeOptions);

      // A path given is the user's, from where they are (as -o and --cache-location are); the default lives in the analyzed directory.
      const baselineFile = options.baseline ? path.resolve(options.baseline) : path.join(root, DEFAULT_BASELINE);
      if (options.updateBaseline) {
        writeBaseline(baselineFile, baselineOf(result));
        context.io.stderr(`choreolint: wrote ${result.findings.length} known finding${result.findings.length === 1 ? '' : 's'} to ${path.relative(process.cwd(), baselineFile) || baselineFile}\n`);
        result = applyBaseline(result, baselineOf(result), path.relative(root, baselineFile));
      } else {
        const baseline = readBaseline(baselineFile);
        if (options.baseline && !baseline) throw new UsageError(`${options.baseline}: no such baseline file`);
        if (baseline) result = applyBaseline(result, baseline, path.relative(root, baselineFile));
      }
      if (files) result = scopeToFiles(result, files);
      if (options.quiet) result = { ...result, findings: result.findings.filter((finding) => finding.severity === 'error') };
      // Code scanning and annotations resolve paths against the repository's root, not the analyzed directory.
      if (REPOSITORY_ROOT_FORMATS.has(options.format)) result = withPathPrefix(result, workTreePrefix(root) ?? '');

      emit(context.io, CHECK_FORMATS[options.format]!(result, { color: useColor(context.io, options) }), options.output);
      if (options.debug) {
        const reused = metrics.resultReused ? '; link would see what it saw: the result came from the cache' : '';
        const walks = metrics.reach ? `; link walked the calls of ${metrics.reach.computed} handlers, took ${metrics.reach.remembered} from earlier runs` : '';
        const reuse = metrics.resultFromCache ? 'nothing changed: the result came from the cache' : `parsed ${metrics.filesParsed}, ${metrics.cacheHits} from the cache${reused}${walks}`;
        context.io.stderr(`choreolint: read ${metrics.filesRead} files, ${reuse}\n`);
        const stages = (metrics.stages ?? []).map(([stage, ms]) => `${stage} ${Math.round(ms)} ms`);
        context.io.stderr(`choreolint: ${stages.join(', ')}\n`);
      }

      const errors = result.findings.filter((finding) => finding.severity === 'error').length;
      const warnings = result.findings.length - errors;
      const failed =
        errors > 0 || (maxWarnings !== undefined && warnings > maxWarnings) || (options.strictBaseline === true && (result.baseline?.stale.length ?? 0) > 0);
      context.setExitCode(failed ? EXIT.findings : EXIT.clean);
    });
}

/** A directory to analyze, or files (relative to the current directory, which becomes the root). */
function targetOf(paths: string[]): { dir: string; files?: string[] } {
  if (paths.length === 0) return { dir: '.' };
  if (paths.length === 1 && isDirectory(paths[0]!)) return { dir: paths[0]! };
  const root = process.cwd();
  const files = paths.map((file) => {
    if (!exists(file)) throw new UsageError(`${file}: no such file or directory`);
    const relative = path.relative(root, path.resolve(file)).split(path.sep).join('/');
    if (relative.startsWith('..') || path.isAbsolute(relative)) throw new UsageError(`${file}: outside the current directory`);
    return relative;
  });
  return { dir: '.', files };
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}
