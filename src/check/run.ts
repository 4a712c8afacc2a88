import { createHash } from 'node:crypto';
import type { Topology } from '../graph/topology.js';
import { docsUrl } from '../model/docs.js';
import type { Finding } from '../model/result.js';
import { compareBy } from '../util/compare.js';
import type { ConfiguredRule, RuleListener, RuleSettings } from './types.js';

const NO_SETTINGS: RuleSettings = { isExternal: () => false };

/** Runs the configured rules over the topology and returns their findings, sorted by location. */
export function runRules(topology: Topology, rules: readonly ConfiguredRule[], settings: RuleSettings = NO_SETTINGS): Finding[] {
  const findings: Finding[] = [];
  const listeners: RuleListener[] = rules.map(({ rule, severity, options }) =>
    rule.create({
      topology,
      options,
      settings,
      report(report) {
        findings.push({
          ruleId: rule.meta.id,
          severity,
          message: report.message,
          location: report.location,
          related: report.related ?? [],
          fingerprint: fingerprintOf(rule.meta.id, report.identity),
          docs: docsUrl(rule.meta.docs),
          ...(report.data ? { data: report.data } : {}),
        });
      },
    }),
  );
  for (const listener of listeners) listener.topology?.(topology);
  return findings.sort(
    compareBy<Finding>(
      (f) => f.location.file,
      (f) => f.location.line,
      (f) => f.location.column,
      (f) => f.ruleId,
      (f) => f.message,
    ),
  );
}

/** Stable across line shifts: only the rule and the finding's identity (never positions) are hashed. */
export function fingerprintOf(ruleId: string, identity: readonly string[]): string {
  return createHash('sha256').update([ruleId, ...identity].join('\0')).digest('hex').slice(0, 16);
}
