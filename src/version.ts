import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot, readBuildId } from './util/package-root.js';

/** The package's version, as package.json states it. */
export const VERSION: string = (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The version and the build (`dist/build-id`, the bundle's hash, written by the build), for the
 * caches: a checkout rebuilt from newer sources keeps its package version, and must not reuse what
 * an older build extracted or concluded. Read once per process.
 */
export function buildStamp(): string {
  const id = buildId();
  return id ? `${VERSION}+${id}` : VERSION;
}

/** The build's id (`dist/build-id`), or undefined when it was not built with `npm run build`. Read once per process. */
export function buildId(): string | undefined {
  if (id === null) id = installedBuildId();
  return id;
}

let id: string | undefined | null = null;

/** The id of the build installed now (another than this process's after a rebuild or an upgrade). */
export function installedBuildId(): string | undefined {
  return readBuildId(packageRoot());
}
