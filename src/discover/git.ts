import { execFileSync } from 'node:child_process';
import { UsageError } from '../model/errors.js';
import { decodeSource, MAX_SOURCE_BYTES, tooLarge, type SourceText } from './read-source.js';

/**
 * Changed-files mode reads git, never the network: `git diff` against a revision and the index.
 * Paths come back relative to `root` (the analyzed directory), which must be inside a work tree.
 */
function git(root: string, args: string[]): string {
  try {
    return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim().split('\n')[0];
    throw new UsageError(`git ${args[0]} failed${stderr ? `: ${stderr}` : ''} (changed-files mode needs a git repository)`);
  }
}

/** The directory's path in its git work tree (`apps/shop/`, '' at its root), or undefined outside one or without git. */
export function workTreePrefix(root: string): string | undefined {
  try {
    return prefixOf(root);
  } catch {
    return undefined;
  }
}

function prefixOf(root: string): string {
  return git(root, ['rev-parse', '--show-prefix']).trim();
}

function underRoot(prefix: string, repoPaths: string[]): string[] {
  return repoPaths.filter((file) => file.startsWith(prefix)).map((file) => file.slice(prefix.length));
}

/** Files changed since `revision` (default HEAD: uncommitted changes), plus untracked files. */
export function changedFiles(root: string, revision = 'HEAD'): string[] {
  const prefix = prefixOf(root);
  // `git diff --name-only` prints paths relative to the repository root.
  const changed = git(root, ['diff', '--name-only', '--no-renames', '-z', revision, '--', '.']).split('\0').filter(Boolean);
  const untracked = git(root, ['ls-files', '--others', '--exclude-standard', '--full-name', '-z', '--', '.']).split('\0').filter(Boolean);
  return [...new Set([...underRoot(prefix, changed), ...underRoot(prefix, untracked)])].sort();
}

/**
 * The staged files and their staged content (what the commit will hold, not the working tree),
 * read in one `git cat-file --batch` process.
 */
export function stagedContents(root: string): Map<string, SourceText> {
  const prefix = prefixOf(root);
  const staged = git(root, ['diff', '--cached', '--name-only', '--no-renames', '--diff-filter=ACMR', '-z']).split('\0').filter((file) => file && file.startsWith(prefix));
  const contents = new Map<string, SourceText>();
  if (staged.length === 0) return contents;
  const output = Buffer.from(
    execFileSync('git', ['-C', root, 'cat-file', '--batch'], { input: staged.map((file) => `:${file}`).join('\n') + '\n', maxBuffer: 1 << 30 }),
  );
  let offset = 0;
  for (const file of staged) {
    const headerEnd = output.indexOf(10, offset);
    const header = output.subarray(offset, headerEnd).toString('utf8');
    const size = Number(header.split(' ')[2]);
    if (!Number.isFinite(size) || header.endsWith('missing')) {
      offset = headerEnd + 1;
      continue;
    }
    // Decoded and limited as files on disk are: the same diagnostics, the same columns on line 1.
    const blob = output.subarray(headerEnd + 1, headerEnd + 1 + size);
    contents.set(file.slice(prefix.length), size > MAX_SOURCE_BYTES ? { error: tooLarge(size) } : decodeSource(blob));
    offset = headerEnd + 1 + size + 1;
  }
  return contents;
}
