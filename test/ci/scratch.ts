import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture } from '../helpers.js';

/** A fixture copied into a fresh git repository, committed: what a user's checkout looks like. */
export function gitCopyOf(name: string): { dir: string; git: (...args: string[]) => string; edit: (file: string, change: (text: string) => string) => void; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `choreolint-${name}-`));
  cpSync(fixture(name), dir, { recursive: true });
  writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=CI', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'initial');
  return {
    dir,
    git,
    edit: (file, change) => writeFileSync(path.join(dir, file), change(readFileSync(path.join(dir, file), 'utf8'))),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
