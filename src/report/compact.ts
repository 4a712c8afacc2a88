import type { Result } from '../model/result.js';
import { count, diagnosticAt, notesOf, problemsText, scopeText, severityWord, sortedDiagnostics, sortedFindings, staleEntries, totalsOf, whereAt } from './summary.js';

/**
 * ESLint's compact shape, one line per finding: `file:line:col: severity message [rule]`, then the
 * diagnostics (input that could not be fully analyzed, never failing the run) as warnings with
 * their code, and the baseline's stale entries, then one summary line (with the changed-files
 * scope and the baseline, when they limited the report). Line breaks inside a message become
 * spaces, so every entry stays on one line.
 */
export function renderCompact(result: Result): string {
  const lines: string[] = [];
  for (const finding of sortedFindings(result)) {
    lines.push(`${oneLine(whereAt(finding.location))}: ${severityWord(finding.severity)} ${oneLine(finding.message)} [${finding.ruleId}]`);
  }
  for (const diagnostic of sortedDiagnostics(result)) {
    lines.push(`${oneLine(diagnosticAt(diagnostic))}: warning ${oneLine(diagnostic.message)} [${oneLine(diagnostic.code)}]`);
  }
  for (const entry of staleEntries(result)) {
    lines.push(`${oneLine(result.baseline!.file)}: warning stale baseline entry, no finding matches it any more: ${oneLine(entry.file)}: ${oneLine(entry.message)} [${entry.ruleId}]`);
  }
  const diagnostics = result.diagnostics.length > 0 ? `; ${count(result.diagnostics.length, 'diagnostic')}` : '';
  lines.push(oneLine([`${problemsText(totalsOf(result))}${diagnostics}: ${scopeText(result)}`, ...notesOf(result)].join('; ')));
  return `${lines.join('\n')}\n`;
}

function oneLine(text: string): string {
  return text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
}
