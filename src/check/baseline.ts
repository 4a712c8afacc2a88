import type { BaselineEntry, Finding, Result } from '../model/result.js';

export const BASELINE_FORMAT = 'choreolint-baseline';
export const BASELINE_VERSION = 1;

export interface Baseline {
  format: typeof BASELINE_FORMAT;
  version: typeof BASELINE_VERSION;
  findings: BaselineEntry[];
}

/** The baseline of a result's findings: sorted, one entry per fingerprint, diff-friendly. */
export function baselineOf(result: Result): Baseline {
  const entries = new Map<string, BaselineEntry>();
  for (const finding of result.findings) {
    const key = `${finding.ruleId}\0${finding.fingerprint}`;
    if (!entries.has(key)) entries.set(key, entryOf(finding));
  }
  return {
    format: BASELINE_FORMAT,
    version: BASELINE_VERSION,
    findings: [...entries.values()].sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0)),
  };
}

/**
 * The result without the findings the baseline knows (matched by rule and fingerprint, which
 * survive line shifts and edits elsewhere), and the baseline's entries that match nothing any
 * more (fixed, or changed beyond recognition): stale.
 */
export function applyBaseline(result: Result, baseline: Baseline, file: string): Result {
  const known = new Set(baseline.findings.map((entry) => `${entry.ruleId}\0${entry.fingerprint}`));
  const present = new Set(result.findings.map((finding) => `${finding.ruleId}\0${finding.fingerprint}`));
  const findings = result.findings.filter((finding) => !known.has(`${finding.ruleId}\0${finding.fingerprint}`));
  const stale = baseline.findings.filter((entry) => !present.has(`${entry.ruleId}\0${entry.fingerprint}`));
  return { ...result, findings, baseline: { file, ignored: result.findings.length - findings.length, stale } };
}

function entryOf(finding: Finding): BaselineEntry {
  return { ruleId: finding.ruleId, fingerprint: finding.fingerprint, file: finding.location.file, message: finding.message };
}
