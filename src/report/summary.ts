import type { BaselineEntry, Diagnostic, Finding, Location, Result } from '../model/result.js';
import { compareBy } from '../util/compare.js';

/** Small pieces the CI formats (compact, github, junit, markdown, sarif) share. */

/** The file, prefixed with its repository when it comes from a merged result document. */
export function whereFile(location: Pick<Location, 'file' | 'repository'>): string {
  return location.repository ? `${location.repository}:${location.file}` : location.file;
}

/** `file:line:col`, with the repository in front for a location merged with `--with`. */
export function whereAt(location: Location): string {
  return `${whereFile(location)}:${location.line}:${location.column}`;
}

/** A diagnostic's position: `file:line:col`, `file`, or `(project)` when it names no file. */
export function diagnosticAt(diagnostic: Diagnostic): string {
  if (!diagnostic.file) return '(project)';
  if (diagnostic.line === undefined) return diagnostic.file;
  return `${diagnostic.file}:${diagnostic.line}:${diagnostic.column ?? 1}`;
}

export function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}

export function count(value: number, word: string): string {
  return `${value} ${plural(value, word)}`;
}

export interface Totals {
  errors: number;
  warnings: number;
  problems: number;
}

export function totalsOf(result: Result): Totals {
  const errors = result.findings.filter((finding) => finding.severity === 'error').length;
  return { errors, warnings: result.findings.length - errors, problems: result.findings.length };
}

/** `8 problems (1 error, 7 warnings)`, or `no problems`. */
export function problemsText(totals: Totals): string {
  if (totals.problems === 0) return 'no problems';
  return `${count(totals.problems, 'problem')} (${count(totals.errors, 'error')}, ${count(totals.warnings, 'warning')})`;
}

/** What was analyzed, as stylish says it: `14 declarations, 8 events, 6 handlers in 3 services (15 files)`. */
export function scopeText(result: Result): string {
  const { stats } = result;
  const suppressed = stats.suppressed > 0 ? `; ${stats.suppressed} suppressed by comments` : '';
  return `${[count(stats.declarations, 'declaration'), count(stats.events, 'event'), count(stats.handlers, 'handler')].join(', ')} in ${count(stats.services, 'service')} (${count(stats.files, 'file')})${suppressed}`;
}

/** Findings by file (repository first), line, column, then rule: the order every CI format lists them in. */
export function sortedFindings(result: Result): Finding[] {
  return [...result.findings].sort(
    compareBy<Finding>(
      (finding) => finding.location.repository ?? '',
      (finding) => finding.location.file,
      (finding) => finding.location.line,
      (finding) => finding.location.column,
      (finding) => finding.ruleId,
      (finding) => finding.fingerprint,
    ),
  );
}

export function sortedDiagnostics(result: Result): Diagnostic[] {
  return [...result.diagnostics].sort(
    compareBy<Diagnostic>(
      (diagnostic) => diagnostic.file ?? '',
      (diagnostic) => diagnostic.line ?? 0,
      (diagnostic) => diagnostic.column ?? 0,
      (diagnostic) => diagnostic.code,
      (diagnostic) => diagnostic.message,
    ),
  );
}

/** The word CI tools use: `error` or `warning`. */
export function severityWord(severity: 'error' | 'warn'): 'error' | 'warning' {
  return severity === 'error' ? 'error' : 'warning';
}

/**
 * What limited the report, as stylish says it: changed-files mode (`scope`) and a baseline (known
 * findings hidden, and entries that match no finding any more, which `--strict-baseline` fails on).
 */
export function notesOf(result: Result): string[] {
  const notes: string[] = [];
  if (result.scope) notes.push(`only findings that touch ${count(result.scope.files.length, 'file')} (the whole topology was analyzed)`);
  if (result.baseline) {
    const { ignored, stale, file } = result.baseline;
    if (ignored > 0) notes.push(`${count(ignored, 'known finding')} ignored (baseline ${file})`);
    if (stale.length > 0) notes.push(`${stale.length} baseline ${stale.length === 1 ? 'entry matches' : 'entries match'} no finding any more (fixed or changed): run --update-baseline`);
  }
  return notes;
}

/** The baseline's stale entries, sorted by file, rule and fingerprint. */
export function staleEntries(result: Result): BaselineEntry[] {
  return [...(result.baseline?.stale ?? [])].sort(
    compareBy<BaselineEntry>(
      (entry) => entry.file,
      (entry) => entry.ruleId,
      (entry) => entry.fingerprint,
    ),
  );
}
