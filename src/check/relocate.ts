import path from 'node:path';
import type { Result } from '../model/result.js';

/**
 * The result with the paths of this repository's files under `prefix` (the analyzed directory's
 * path in its git work tree, `apps/shop/`): findings' locations, diagnostics and the baseline.
 * For the formats whose readers resolve paths against the repository root (SARIF in code
 * scanning, GitHub annotations). Locations in other repositories (`--with`) stay as they are.
 */
export function withPathPrefix(result: Result, prefix: string): Result {
  if (!prefix) return result;
  const inRepository = <T extends { file: string; repository?: string }>(location: T): T =>
    location.repository === undefined ? { ...location, file: `${prefix}${location.file}` } : location;
  return {
    ...result,
    findings: result.findings.map((finding) => ({ ...finding, location: inRepository(finding.location), related: finding.related.map(inRepository) })),
    diagnostics: result.diagnostics.map((diagnostic) => (diagnostic.file === undefined ? diagnostic : { ...diagnostic, file: `${prefix}${diagnostic.file}` })),
    ...(result.baseline
      ? { baseline: { ...result.baseline, file: path.posix.normalize(`${prefix}${result.baseline.file}`), stale: result.baseline.stale.map((entry) => ({ ...entry, file: `${prefix}${entry.file}` })) } }
      : {}),
  };
}
