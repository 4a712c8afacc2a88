import type { BaselineEntry, Diagnostic, Finding, Result } from '../model/result.js';
import { count, notesOf, problemsText, scopeText, severityWord, sortedDiagnostics, sortedFindings, staleEntries, totalsOf, whereAt } from './summary.js';

/**
 * GitHub Actions workflow commands, one annotation per finding:
 * `::error file={file},line={line},col={column},title={rule}::{message}` (`::warning` for warn),
 * with the related locations as further lines of the message. Diagnostics are `::warning`s titled
 * with their code; the baseline's stale entries are `::warning`s on the baseline file. A location
 * in another repository (merged with `--with`) has no file in this checkout to annotate: it is
 * written at the start of the message instead, and the annotation has no file. The last line is a
 * plain summary (not a command), with the changed-files scope and the baseline when they apply.
 */
export function renderGithub(result: Result): string {
  const lines: string[] = [];
  for (const finding of sortedFindings(result)) lines.push(findingCommand(finding));
  for (const diagnostic of sortedDiagnostics(result)) lines.push(diagnosticCommand(diagnostic));
  for (const entry of staleEntries(result)) lines.push(staleCommand(result.baseline!.file, entry));
  const diagnostics = result.diagnostics.length > 0 ? `; ${count(result.diagnostics.length, 'diagnostic')}` : '';
  const summary = [`choreolint: ${problemsText(totalsOf(result))}${diagnostics}: ${scopeText(result)}`, ...notesOf(result)].join('; ');
  lines.push(summary.replace(/[\r\n]+/g, ' '));
  return `${lines.join('\n')}\n`;
}

function findingCommand(finding: Finding): string {
  const { location } = finding;
  const here = location.repository === undefined;
  const properties: Array<[string, string | number]> = here
    ? [
        ['file', location.file],
        ['line', location.line],
        ['col', location.column],
      ]
    : [];
  properties.push(['title', finding.ruleId]);
  const message = [
    here ? finding.message : `${whereAt(location)}: ${finding.message}`,
    ...finding.related.map((related) => `  ↳ ${whereAt(related)}  ${related.message}`),
  ].join('\n');
  return command(severityWord(finding.severity), properties, message);
}

function diagnosticCommand(diagnostic: Diagnostic): string {
  const properties: Array<[string, string | number]> = [];
  if (diagnostic.file) {
    properties.push(['file', diagnostic.file]);
    if (diagnostic.line !== undefined) properties.push(['line', diagnostic.line]);
    if (diagnostic.column !== undefined) properties.push(['col', diagnostic.column]);
  }
  properties.push(['title', diagnostic.code]);
  return command('warning', properties, diagnostic.message);
}

function staleCommand(baselineFile: string, entry: BaselineEntry): string {
  return command(
    'warning',
    [
      ['file', baselineFile],
      ['title', 'stale baseline entry'],
    ],
    `${entry.ruleId} at ${entry.file}: ${entry.message}\nNo finding matches this entry any more (fixed, or changed): run choreolint check --update-baseline.`,
  );
}

/** `::name key=value,…::data`, escaped as @actions/core escapes them. */
export function command(name: string, properties: Array<[string, string | number]>, data: string): string {
  const list = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',');
  return `::${name}${list ? ` ${list}` : ''}::${escapeData(data)}`;
}

/** Data of a workflow command: `%`, CR and LF are percent-encoded. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property of a workflow command: as data, plus `:` and `,`, which delimit properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
