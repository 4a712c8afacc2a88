import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The directory of choreolint's own package.json, found by walking up from this module: the same
 * answer from the sources, the compiled modules and the single-file CLI bundle.
 */
export function packageRoot(): string {
  if (root) return root;
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'docs', 'rules'))) return (root = dir);
    if (path.dirname(dir) === dir) throw new Error('choreolint: cannot find its own package directory');
  }
}

/**
 * The id of the build installed in a package directory (`dist/build-id`, the bundle's hash, which
 * the build writes), or undefined before a build. bin/choreolint.js reads it before loading the
 * bundle, to find the daemon of this build.
 */
export function readBuildId(packageDir: string): string | undefined {
  try {
    return readFileSync(path.join(packageDir, 'dist', 'build-id'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
