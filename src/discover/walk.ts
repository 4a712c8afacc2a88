import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { compareStrings } from '../util/compare.js';

export interface WalkResult {
  /** Every regular file under the root (relative, forward slashes), not ignored by .gitignore. */
  files: string[];
  problems: Array<{ file: string; message: string }>;
}

const ALWAYS_SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

interface GitignoreScope {
  dir: string;
  rules: Ignore;
}

/**
 * Lists the files under root, honouring .gitignore files at every level. Symbolic links to
 * directories are not followed (they loop, and they reach outside the repository); links to
 * files are kept.
 */
export function walkFiles(root: string): WalkResult {
  const files: string[] = [];
  const problems: WalkResult['problems'] = [];
  const stack: Array<{ dir: string; scopes: GitignoreScope[] }> = [{ dir: '', scopes: [] }];
  while (stack.length > 0) {
    const { dir, scopes: parentScopes } = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(path.join(root, dir), { withFileTypes: true });
    } catch (error) {
      problems.push({ file: dir || '.', message: `cannot read directory (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    const scopes = withGitignore(root, dir, parentScopes, entries);
    const subdirs: string[] = [];
    for (const entry of entries) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = statSync(path.join(root, relative));
          isFile = target.isFile();
          isDirectory = false;
        } catch {
          continue;
        }
      }
      if (isDirectory) {
        if (ALWAYS_SKIPPED_DIRS.has(entry.name) || isIgnored(scopes, `${relative}/`)) continue;
        subdirs.push(relative);
      } else if (isFile && !isIgnored(scopes, relative)) {
        files.push(relative);
      }
    }
    for (const subdir of subdirs.reverse()) stack.push({ dir: subdir, scopes });
  }
  files.sort(compareStrings);
  return { files, problems };
}

function withGitignore(root: string, dir: string, scopes: GitignoreScope[], entries: Dirent[]): GitignoreScope[] {
  if (!entries.some((entry) => entry.name === '.gitignore' && !entry.isDirectory())) return scopes;
  try {
    const rules = ignore().add(readFileSync(path.join(root, dir, '.gitignore'), 'utf8'));
    return [...scopes, { dir, rules }];
  } catch {
    return scopes;
  }
}

function isIgnored(scopes: GitignoreScope[], relative: string): boolean {
  for (const scope of scopes) {
    const inner = scope.dir ? relative.slice(scope.dir.length + 1) : relative;
    if (inner && scope.rules.ignores(inner)) return true;
  }
  return false;
}
