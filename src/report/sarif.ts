import type * as Sarif from 'sarif';
import { docsUrl } from '../model/docs.js';
import type { Diagnostic, Finding, Location, Result, RuleDescriptor, Severity } from '../model/result.js';
import { compareStrings } from '../util/compare.js';
import { severityWord, sortedDiagnostics, sortedFindings } from './summary.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json';

/** The base of every path of the analyzed repository. */
export const SRCROOT = '%SRCROOT%';
/**
 * The base of paths in other repositories (merged with `--with`): a folder holding a checkout of
 * each, named after it, so the uri is `{repository}/{file}`. A consumer that ignores uriBaseId
 * sees a path under a folder named after the repository, never a file of this checkout.
 */
export const REPOSITORIES = 'REPOSITORIES';

export const FINGERPRINT_KEY = 'choreolint/v1';

/**
 * SARIF 2.1.0, one run. `tool.driver.rules` lists the rules that have findings, sorted by id (the
 * result document names no other rule, and a reporter reads nothing else): id, a PascalCase name,
 * the id as short description (rule descriptions are not in the result document: the rule's page,
 * `helpUri`, has it), and the level of its findings. One result per finding, in file order, with
 * its related locations and its fingerprint (`partialFingerprints['choreolint/v1']`, a hash of the
 * rule and the finding's identity, never of positions). Diagnostics are tool execution
 * notifications. Paths are relative to `%SRCROOT%`, whose absolute location the log never states
 * (it would differ from machine to machine).
 */
export function renderSarif(result: Result): string {
  return `${JSON.stringify(sarifLog(result), null, 2)}\n`;
}

export function sarifLog(result: Result): Sarif.Log {
  const findings = sortedFindings(result);
  const rules = rulesOf(result.rules ?? [], findings);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  let merged = false;

  const physical = (location: Pick<Location, 'file' | 'repository'> & Partial<Pick<Location, 'line' | 'column'>>): Sarif.PhysicalLocation => {
    if (location.repository !== undefined) merged = true;
    const artifactLocation: Sarif.ArtifactLocation =
      location.repository === undefined
        ? { uri: uriOf(location.file), uriBaseId: SRCROOT }
        : { uri: `${encodeSegment(location.repository)}/${uriOf(location.file)}`, uriBaseId: REPOSITORIES };
    if (location.line === undefined) return { artifactLocation };
    return { artifactLocation, region: { startLine: location.line, ...(location.column !== undefined ? { startColumn: location.column } : {}) } };
  };

  const results = findings.map((finding): Sarif.Result => {
    const sarifResult: Sarif.Result = {
      ruleId: finding.ruleId,
      ruleIndex: ruleIndex.get(finding.ruleId)!,
      level: level(finding.severity),
      message: { text: messageText(finding.message) },
      locations: [{ physicalLocation: physical(finding.location) }],
    };
    if (finding.related.length > 0) {
      sarifResult.relatedLocations = finding.related.map((related, index) => ({
        id: index + 1,
        physicalLocation: physical(related),
        message: { text: messageText(related.message) },
      }));
    }
    sarifResult.partialFingerprints = { [FINGERPRINT_KEY]: finding.fingerprint };
    return sarifResult;
  });

  // SARIF wants notifications unique: identical diagnostics (same file, place and text) are one.
  const notifications = [...new Map(sortedDiagnostics(result).map((diagnostic) => [JSON.stringify(diagnostic), notification(diagnostic, physical)])).values()];

  const originalUriBaseIds: Record<string, Sarif.ArtifactLocation> = {
    [SRCROOT]: { description: { text: `The root of the analyzed repository, ${result.repository}: every path of this run is relative to it.` } },
  };
  if (merged) {
    originalUriBaseIds[REPOSITORIES] = {
      description: {
        text: 'A folder holding a checkout of each repository whose result document was merged with --with, named after the repository: paths start with the repository name.',
      },
    };
  }

  const run: Sarif.Run = {
    tool: {
      driver: {
        name: 'choreolint',
        version: result.tool.version,
        semanticVersion: result.tool.version,
        informationUri: docsUrl('README.md'),
        rules,
      },
    },
    invocations: [{ executionSuccessful: true, ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}) }],
    originalUriBaseIds,
    columnKind: 'utf16CodeUnits',
    results,
  };
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
}

/**
 * Every rule that ran, described (so that code scanning shows what a rule is about and knows the
 * rules that found nothing), then any rule only a merged document's findings name, by its id.
 */
function rulesOf(ran: readonly RuleDescriptor[], findings: Finding[]): Sarif.ReportingDescriptor[] {
  const byRule = new Map<string, Finding[]>();
  for (const finding of findings) byRule.set(finding.ruleId, [...(byRule.get(finding.ruleId) ?? []), finding]);
  const described = new Map(ran.map((rule) => [rule.id, rule]));
  const ids = [...new Set([...described.keys(), ...byRule.keys()])].sort(compareStrings);
  return ids.map((id) => {
    const rule = described.get(id);
    const ofRule = byRule.get(id) ?? [];
    // A rule has one configured severity; merged documents could disagree, and then the stricter wins.
    const severity: Severity = rule?.severity === 'error' || ofRule.some((finding) => finding.severity === 'error') ? 'error' : 'warn';
    const docs = rule?.docs ?? ofRule[0]!.docs;
    return {
      id,
      name: pascalCase(id),
      shortDescription: { text: rule?.description ?? id },
      helpUri: docs,
      help: { text: `Documentation: ${docs}`, markdown: `[${id}](${docs})` },
      defaultConfiguration: { level: level(severity) },
    };
  });
}

function notification(
  diagnostic: Diagnostic,
  physical: (location: { file: string; line?: number; column?: number }) => Sarif.PhysicalLocation,
): Sarif.Notification {
  const sarifNotification: Sarif.Notification = {
    level: 'warning',
    message: { text: messageText(diagnostic.message) },
    descriptor: { id: diagnostic.code },
  };
  if (diagnostic.file) {
    sarifNotification.locations = [
      {
        physicalLocation: physical({
          file: diagnostic.file,
          ...(diagnostic.line !== undefined ? { line: diagnostic.line } : {}),
          ...(diagnostic.column !== undefined ? { column: diagnostic.column } : {}),
        }),
      },
    ];
  }
  return sarifNotification;
}

function level(severity: Severity): 'error' | 'warning' {
  return severityWord(severity);
}

/** `non-idempotent-handler` → `NonIdempotentHandler`, the shape SARIF recommends for rule names. */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/** A relative path as a relative URI reference: each segment percent-encoded, `/` kept. */
export function uriOf(file: string): string {
  return file.split('/').map(encodeSegment).join('/');
}

function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * SARIF plain-text messages may embed links (`[text](target)`); a message whose brackets would
 * read as one gets them escaped with a backslash, as SARIF §3.11.6 asks. Any other text is kept.
 */
export function messageText(text: string): string {
  return /\[[^\]]*\]\(/.test(text) ? text.replace(/\\(?=[[\]])|[[\]]/g, (char) => `\\${char}`) : text;
}
