import type { Finding, Result } from '../model/result.js';

/**
 * Only what concerns the given files: findings with a location in them (the primary location or
 * a related one: a cycle whose path crosses a changed file), diagnostics about them. The whole
 * topology was still analyzed.
 */
export function scopeToFiles(result: Result, files: readonly string[]): Result {
  const set = new Set(files);
  const touches = (finding: Finding) => [finding.location, ...finding.related].some((location) => !location.repository && set.has(location.file));
  return {
    ...result,
    findings: result.findings.filter(touches),
    diagnostics: result.diagnostics.filter((diagnostic) => diagnostic.file !== undefined && set.has(diagnostic.file)),
    scope: { files: [...set].sort() },
    ...(result.baseline ? { baseline: { ...result.baseline, stale: result.baseline.stale.filter((entry) => set.has(entry.file)) } } : {}),
  };
}
