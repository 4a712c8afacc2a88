import { suggestClosest } from '../config/suggest.js';
import type { Finding, Location } from '../model/result.js';
import type { SuppressionComment } from '../model/summary.js';
import type { FindingReport } from './types.js';

export type Suppression = SuppressionComment & { file: string };

export interface SuppressionOutcome {
  kept: Finding[];
  suppressed: number;
  /** Problems with the comments themselves, as reports of the invalid-suppression rule. */
  problems: FindingReport[];
}

/**
 * Drops the findings that a valid suppression comment covers: the comment sits on the line before
 * one of the finding's locations (its primary location or a related one, such as a hop of a
 * cycle), and names its rule (or no rule at all). A comment without a reason does not apply.
 */
export function applySuppressions(findings: readonly Finding[], suppressions: readonly Suppression[], ruleIds: readonly string[]): SuppressionOutcome {
  const problems: FindingReport[] = [];
  const valid: Suppression[] = [];
  for (const suppression of suppressions) {
    const unknown = suppression.rules.filter((rule) => !ruleIds.includes(rule));
    if (unknown.length > 0) {
      const suggestion = suggestClosest(unknown[0]!, ruleIds);
      problems.push(problem(suppression, `choreolint-disable-next-line names an unknown rule "${unknown[0]}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`));
    } else if (!suppression.reason) {
      problems.push(problem(suppression, 'choreolint-disable-next-line needs a reason after " -- ": it does not apply without one'));
    } else {
      valid.push(suppression);
    }
  }
  const byTarget = new Map<string, Suppression[]>();
  for (const suppression of valid) {
    const key = `${suppression.file}:${suppression.line + 1}`;
    byTarget.set(key, [...(byTarget.get(key) ?? []), suppression]);
  }
  const used = new Set<Suppression>();
  const kept: Finding[] = [];
  for (const finding of findings) {
    const covering = [finding.location, ...finding.related]
      .flatMap((location: Location) => byTarget.get(`${location.file}:${location.line}`) ?? [])
      .filter((suppression) => suppression.rules.length === 0 || suppression.rules.includes(finding.ruleId));
    covering.forEach((suppression) => used.add(suppression));
    if (covering.length === 0) kept.push(finding);
  }
  for (const suppression of valid) {
    if (!used.has(suppression)) problems.push(problem(suppression, `unused suppression: nothing${suppression.rules.length > 0 ? ` of ${suppression.rules.join(', ')}` : ''} is reported on the next line`));
  }
  return { kept, suppressed: findings.length - kept.length, problems };
}

function problem(suppression: Suppression, message: string): FindingReport {
  return {
    message,
    location: { file: suppression.file, line: suppression.line, column: suppression.column },
    identity: [suppression.file, suppression.rules.join(','), suppression.reason ?? '', message.split(':')[0]!],
  };
}
