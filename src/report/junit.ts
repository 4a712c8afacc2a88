import type { BaselineEntry, Diagnostic, Finding, Result } from '../model/result.js';
import { compareStrings } from '../util/compare.js';
import { diagnosticAt, problemsText, scopeText, severityWord, sortedDiagnostics, sortedFindings, staleEntries, totalsOf, whereAt } from './summary.js';

/**
 * JUnit XML for CI test reports. One `<testsuite>` per rule (sorted by id), so the report reads as
 * one failing check per rule, one `<testcase>` per finding named by its location, with a
 * `<failure>` whose `message` is the finding's message and whose text adds the location, the
 * related locations and the rule's docs. Diagnostics go to a `diagnostics` suite as skipped test
 * cases (input that was not analyzed, which never fails the run); the baseline's stale entries
 * to a `baseline` suite as failures of type `warning`. A run without findings has one passing
 * test case, so the CI shows that the check ran. No timestamps, durations or host names: the same
 * result gives the same bytes.
 */
export function renderJunit(result: Result): string {
  const byRule = new Map<string, Finding[]>();
  for (const finding of sortedFindings(result)) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);
  const diagnostics = sortedDiagnostics(result);
  const stale = staleEntries(result);

  const suites: string[] = [];
  if (byRule.size === 0) {
    suites.push(
      suite('choreolint', { tests: 1, failures: 0, skipped: 0 }, [`    <testcase classname="choreolint" name="${attribute(`${problemsText(totalsOf(result))}: ${scopeText(result)}`)}"/>`]),
    );
  }
  for (const ruleId of [...byRule.keys()].sort(compareStrings)) {
    const findings = byRule.get(ruleId)!;
    suites.push(suite(ruleId, { tests: findings.length, failures: findings.length, skipped: 0 }, findings.map(findingCase)));
  }
  if (diagnostics.length > 0) {
    suites.push(suite('diagnostics', { tests: diagnostics.length, failures: 0, skipped: diagnostics.length }, diagnostics.map(diagnosticCase)));
  }
  if (stale.length > 0) {
    const file = result.baseline!.file;
    suites.push(suite('baseline', { tests: stale.length, failures: stale.length, skipped: 0 }, stale.map((entry) => staleCase(file, entry))));
  }

  const tests = Math.max(result.findings.length, 1) + diagnostics.length + stale.length;
  const failures = result.findings.length + stale.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="choreolint" tests="${tests}" failures="${failures}" errors="0" skipped="${diagnostics.length}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

function suite(name: string, counts: { tests: number; failures: number; skipped: number }, cases: string[]): string {
  return [
    `  <testsuite name="${attribute(name)}" tests="${counts.tests}" failures="${counts.failures}" errors="0" skipped="${counts.skipped}">`,
    ...cases,
    '  </testsuite>',
  ].join('\n');
}

function findingCase(finding: Finding): string {
  const { location } = finding;
  const file = location.repository === undefined ? ` file="${attribute(location.file)}"` : '';
  const details = [
    finding.message,
    `  at ${whereAt(location)}`,
    ...finding.related.map((related) => `  ↳ ${whereAt(related)}  ${related.message}`),
    `  docs: ${finding.docs}`,
  ].join('\n');
  return [
    `    <testcase classname="choreolint.${attribute(finding.ruleId)}" name="${attribute(whereAt(location))}"${file}>`,
    `      <failure type="${severityWord(finding.severity)}" message="${attribute(finding.message)}">${text(details)}</failure>`,
    '    </testcase>',
  ].join('\n');
}

function diagnosticCase(diagnostic: Diagnostic): string {
  const file = diagnostic.file ? ` file="${attribute(diagnostic.file)}"` : '';
  return [
    `    <testcase classname="choreolint.diagnostics" name="${attribute(diagnosticAt(diagnostic))}"${file}>`,
    `      <skipped message="${attribute(`${diagnostic.code}: ${diagnostic.message}`)}"/>`,
    '    </testcase>',
  ].join('\n');
}

function staleCase(baselineFile: string, entry: BaselineEntry): string {
  const message = `stale baseline entry: ${entry.ruleId} at ${entry.file}: ${entry.message}`;
  const details = `${message}\n  no finding matches it any more (fixed, or changed): run choreolint check --update-baseline\n  in ${baselineFile} (fingerprint ${entry.fingerprint})`;
  return [
    `    <testcase classname="choreolint.baseline" name="${attribute(`${entry.ruleId} ${entry.fingerprint}`)}" file="${attribute(baselineFile)}">`,
    `      <failure type="warning" message="${attribute(message)}">${text(details)}</failure>`,
    '    </testcase>',
  ].join('\n');
}

/** Characters XML 1.0 cannot hold at all, even as references, and lone surrogates. */
// eslint-disable-next-line no-control-regex -- these control characters are exactly what XML 1.0 forbids
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Element text: `&`, `<`, `>` escaped, CR kept as a reference, characters XML cannot hold replaced by U+FFFD. */
export function text(value: string): string {
  return value.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** A double-quoted attribute value: as text, plus quotes, and line breaks and tabs as references so parsers keep them. */
export function attribute(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}
