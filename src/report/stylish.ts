import type { Diagnostic, Finding, Location, Result } from '../model/result.js';
import { compareStrings } from '../util/compare.js';

export interface StylishOptions {
  color: boolean;
}

interface Line {
  line: number;
  column: number;
  severity: 'error' | 'warn';
  message: string;
  source: string;
  related: string[];
}

/** ESLint's stylish layout: messages grouped by file, `line:col  severity  message  rule`, then a summary. */
export function renderStylish(result: Result, options: StylishOptions): string {
  const paint = painter(options.color);
  const byFile = new Map<string, Line[]>();
  const add = (file: string, line: Line) => byFile.set(file, [...(byFile.get(file) ?? []), line]);

  for (const finding of result.findings) add(where(finding.location), findingLine(finding));
  for (const diagnostic of result.diagnostics) add(diagnostic.file ?? '(project)', diagnosticLine(diagnostic));

  const out: string[] = [];
  for (const file of [...byFile.keys()].sort(compareStrings)) {
    const lines = byFile.get(file)!.sort((a, b) => a.line - b.line || a.column - b.column);
    out.push(paint.underline(file));
    const width = Math.max(...lines.map((line) => `${line.line}:${line.column}`.length));
    for (const line of lines) {
      const position = `${line.line}:${line.column}`.padEnd(width);
      const severity = line.severity === 'error' ? paint.red('error  ') : paint.yellow('warning');
      out.push(`  ${paint.dim(position)}  ${severity}  ${line.message}  ${paint.dim(line.source)}`);
      for (const related of line.related) out.push(`  ${' '.repeat(width)}  ${paint.dim(`  ↳ ${related}`)}`);
    }
    out.push('');
  }

  const errors = result.findings.filter((finding) => finding.severity === 'error').length;
  const warnings = result.findings.length - errors;
  const { stats } = result;
  const suppressed = stats.suppressed > 0 ? `; ${stats.suppressed} suppressed by comments` : '';
  const scope = `${[count(stats.declarations, 'declaration'), count(stats.events, 'event'), count(stats.handlers, 'handler')].join(', ')} in ${count(stats.services, 'service')} (${count(stats.files, 'file')})${suppressed}`;
  if (result.findings.length === 0) {
    out.push(`${paint.green('✔')} no problems: ${scope}`);
  } else {
    const total = `${result.findings.length} ${plural(result.findings.length, 'problem')} (${errors} ${plural(errors, 'error')}, ${warnings} ${plural(warnings, 'warning')})`;
    out.push(errors > 0 ? paint.red(`✖ ${total}`) : paint.yellow(`✖ ${total}`));
    out.push(paint.dim(`  ${scope}`));
  }
  if (result.scope) out.push(paint.dim(`  only findings that touch ${count(result.scope.files.length, 'file')} (the whole topology was analyzed)`));
  if (result.baseline) {
    const { ignored, stale, file } = result.baseline;
    if (ignored > 0) out.push(paint.dim(`  ${count(ignored, 'known finding')} ignored (baseline ${file})`));
    if (stale.length > 0) {
      out.push(paint.yellow(`⚠ ${stale.length} baseline ${stale.length === 1 ? 'entry matches' : 'entries match'} no finding any more (fixed or changed): run --update-baseline`));
      for (const entry of stale) out.push(paint.dim(`  ${entry.ruleId}  ${entry.file}  ${entry.message}`));
    }
  }
  if (result.diagnostics.length > 0) {
    out.push(paint.yellow(`⚠ ${result.diagnostics.length} ${plural(result.diagnostics.length, 'diagnostic')}: input that could not be fully analyzed (listed above)`));
  }
  return `${out.join('\n')}\n`;
}

function findingLine(finding: Finding): Line {
  return {
    line: finding.location.line,
    column: finding.location.column,
    severity: finding.severity,
    message: finding.message,
    source: finding.ruleId,
    related: finding.related.map((related) => `${where(related)}:${related.line}:${related.column}  ${related.message}`),
  };
}

/** The file, prefixed with its repository when it comes from a merged result document. */
function where(location: Location): string {
  return location.repository ? `${location.repository}:${location.file}` : location.file;
}

function diagnosticLine(diagnostic: Diagnostic): Line {
  return {
    line: diagnostic.line ?? 0,
    column: diagnostic.column ?? 0,
    severity: diagnostic.severity,
    message: diagnostic.message,
    source: diagnostic.code,
    related: [],
  };
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

function painter(color: boolean) {
  const wrap = (open: number, close: number) => (text: string) => (color ? `\u001b[${open}m${text}\u001b[${close}m` : text);
  return { red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), dim: wrap(2, 22), underline: wrap(4, 24) };
}

function count(value: number, word: string): string {
  return `${value} ${plural(value, word)}`;
}
