import path from 'node:path';
import { escapeRegExp } from '../util/regexp.js';
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
    findings: result.findings.map((finding) => ({
      ...finding,
      message: withPrefixedSites(finding.message, [finding.location, ...finding.related], prefix),
      location: inRepository(finding.location),
      related: finding.related.map(inRepository),
    })),
    diagnostics: result.diagnostics.map((diagnostic) => (diagnostic.file === undefined ? diagnostic : { ...diagnostic, file: `${prefix}${diagnostic.file}` })),
    ...(result.baseline
      ? { baseline: { ...result.baseline, file: path.posix.normalize(`${prefix}${result.baseline.file}`), stale: result.baseline.stale.map((entry) => ({ ...entry, file: `${prefix}${entry.file}` })) } }
      : {}),
  };
}

/**
 * A message names the sites it cites as `file:line` (non-idempotent-handler, missing-compensation):
 * those of this repository's files the finding points at get the prefix too, so that the message
 * names the file its annotation is on.
 */
function withPrefixedSites(message: string, locations: ReadonlyArray<{ file: string; repository?: string }>, prefix: string): string {
  const files = [...new Set(locations.filter((location) => location.repository === undefined).map((location) => location.file))];
  if (files.length === 0) return message;
  const cited = new RegExp(`(?<=[(\\s,]|^)(${files.map(escapeRegExp).join('|')})(?=:\\d)`, 'g');
  return message.replace(cited, (file) => `${prefix}${file}`);
}
