import { existsSync, readdirSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { compareStrings } from '../util/compare.js';
import type { DiscoveryInputs, ReadText } from './inputs.js';
import { isInside, readSourceText } from './read-source.js';

export interface WalkResult {
  /**
   * Every regular file under the root (relative, forward slashes), not ignored by .gitignore,
   * and every symbolic link to a regular file inside the root.
   */
  files: string[];
  /** The symbolic links among `files`, to the file each points at (relative to the root). */
  links: Map<string, string>;
  /** Entries that are not read, and why: named pipes, sockets, devices, broken or outward links. */
  skipped: Array<{ file: string; reason: string }>;
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
 * files are kept when the file is inside the root. Named pipes, sockets and devices are skipped:
 * reading a named pipe blocks forever. With `inputs`, records what it listed and read.
 */
export function walkFiles(root: string, inputs?: DiscoveryInputs): WalkResult {
  const files: string[] = [];
  const links = new Map<string, string>();
  const skipped: WalkResult['skipped'] = [];
  const problems: WalkResult['problems'] = [];
  const realRoot = realpathSync.native(root);
  const stack: Array<{ dir: string; scopes: GitignoreScope[] }> = [{ dir: '', scopes: [] }];
  while (stack.length > 0) {
    const { dir, scopes: parentScopes } = stack.pop()!;
    let entries: Dirent[];
    inputs?.listing(dir);
    try {
      entries = readdirSync(path.join(root, dir), { withFileTypes: true });
    } catch (error) {
      inputs?.unstamped();
      problems.push({ file: dir || '.', message: `cannot read directory (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    const scopes = withGitignore(root, dir, parentScopes, entries, inputs?.read ?? readSourceText);
    const subdirs: string[] = [];
    for (const entry of entries) {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      // A name that is not UTF-8 comes back with U+FFFD in it, a path that does not exist.
      if (entry.name.includes('\uFFFD') && !existsSync(path.join(root, relative))) {
        skipped.push({ file: relative, reason: 'file name is not valid UTF-8, skipped' });
        continue;
      }
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED_DIRS.has(entry.name) || isIgnored(scopes, `${relative}/`)) continue;
        subdirs.push(relative);
        continue;
      }
      if (isIgnored(scopes, relative)) continue;
      if (entry.isFile()) {
        files.push(relative);
      } else if (entry.isSymbolicLink()) {
        // What a symbolic link points at can change while every stamp here stays the same.
        inputs?.unstamped();
        const link = followFileLink(root, realRoot, relative);
        if ('target' in link) {
          files.push(relative);
          links.set(relative, link.target);
        } else if (link.reason) {
          skipped.push({ file: relative, reason: link.reason });
        }
      } else {
        skipped.push({ file: relative, reason: `not a regular file (${specialFileKind(entry)}), skipped` });
      }
    }
    for (const subdir of subdirs.reverse()) stack.push({ dir: subdir, scopes });
  }
  files.sort(compareStrings);
  skipped.sort((a, b) => compareStrings(a.file, b.file));
  return { files, links, skipped, problems };
}

/** A symbolic link's file inside the root; directories are not followed (no reason given). */
function followFileLink(root: string, realRoot: string, relative: string): { target: string } | { reason?: string } {
  const full = path.join(root, relative);
  let stats: Stats;
  try {
    stats = statSync(full);
  } catch (error) {
    return { reason: (error as NodeJS.ErrnoException).code === 'ELOOP' ? 'symbolic link loop, skipped' : 'broken symbolic link, skipped' };
  }
  if (stats.isDirectory()) return {};
  if (!stats.isFile()) return { reason: `not a regular file (symbolic link to a ${specialFileKind(stats)}), skipped` };
  let real: string;
  try {
    real = realpathSync.native(full);
  } catch {
    return { reason: 'broken symbolic link, skipped' };
  }
  if (!isInside(realRoot, real)) return { reason: 'symbolic link to outside the analyzed directory, not followed' };
  return { target: path.relative(realRoot, real).split(path.sep).join('/') };
}

function specialFileKind(entry: Dirent | Stats): string {
  if (entry.isFIFO()) return 'named pipe';
  if (entry.isSocket()) return 'socket';
  if (entry.isCharacterDevice() || entry.isBlockDevice()) return 'device';
  return 'special file';
}

function withGitignore(root: string, dir: string, scopes: GitignoreScope[], entries: Dirent[], read: ReadText): GitignoreScope[] {
  if (!entries.some((entry) => entry.name === '.gitignore' && !entry.isDirectory())) return scopes;
  const source = read(root, dir ? `${dir}/.gitignore` : '.gitignore');
  return 'text' in source ? [...scopes, { dir, rules: ignore().add(source.text) }] : scopes;
}

function isIgnored(scopes: GitignoreScope[], relative: string): boolean {
  for (const scope of scopes) {
    const inner = scope.dir ? relative.slice(scope.dir.length + 1) : relative;
    if (inner && scope.rules.ignores(inner)) return true;
  }
  return false;
}
