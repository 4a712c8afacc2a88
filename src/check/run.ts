import { createHash } from 'node:crypto';
import type { Topology } from '../graph/topology.js';
import { docsUrl } from '../model/docs.js';
import type { Finding } from '../model/result.js';
import { compareBy } from '../util/compare.js';
import { RULES } from './registry.js';
import { invalidSuppression } from './rules/invalid-suppression.js';
import { applySuppressions, type Suppression } from './suppress.js';
import type { ConfiguredRule, FindingReport, RuleListener, RuleSettings } from './types.js';

const NO_SETTINGS: RuleSettings = { isExternal: () => false };

export interface CheckOutcome {
  findings: Finding[];
  /** How many findings suppression comments removed. */
  suppressed: number;
}

/**
 * Runs the configured rules over the topology, applies the suppression comments, and returns the
 * findings sorted by location.
 */
export function runRules(
  topology: Topology,
  rules: readonly ConfiguredRule[],
  settings: RuleSettings = NO_SETTINGS,
  suppressions: readonly Suppression[] = [],
): CheckOutcome {
  const findings: Finding[] = [];
  const toFinding = ({ rule, severity }: ConfiguredRule, report: FindingReport): Finding => ({
    ruleId: rule.meta.id,
    severity,
    message: report.message,
    location: report.location,
    related: report.related ?? [],
    fingerprint: fingerprintOf(rule.meta.id, report.identity),
    docs: docsUrl(rule.meta.docs),
    ...(report.data ? { data: report.data } : {}),
  });
  const listeners: RuleListener[] = rules.map((configured) =>
    configured.rule.create({
      topology,
      options: configured.options,
      settings,
      report: (report) => findings.push(toFinding(configured, report)),
    }),
  );
  for (const listener of listeners) listener.topology?.(topology);

  const outcome = applySuppressions(findings, suppressions, RULES.map((rule) => rule.meta.id));
  const invalid = rules.find((configured) => configured.rule.meta.id === invalidSuppression.meta.id);
  const kept = invalid ? [...outcome.kept, ...outcome.problems.map((report) => toFinding(invalid, report))] : outcome.kept;
  return {
    findings: kept.sort(
      compareBy<Finding>(
        (f) => f.location.file,
        (f) => f.location.line,
        (f) => f.location.column,
        (f) => f.ruleId,
        (f) => f.message,
      ),
    ),
    suppressed: outcome.suppressed,
  };
}

/** Stable across line shifts: only the rule and the finding's identity (never positions) are hashed. */
export function fingerprintOf(ruleId: string, identity: readonly string[]): string {
  return createHash('sha256').update([ruleId, ...identity].join('\0')).digest('hex').slice(0, 16);
}
