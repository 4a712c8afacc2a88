import { existsSync } from 'node:fs';
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
