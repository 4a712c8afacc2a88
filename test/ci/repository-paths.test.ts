import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withPathPrefix } from '../../src/check/relocate.js';
import { FIXTURES, fixture, runCli } from '../helpers.js';
import { handMadeResult } from '../reporters/support.js';

/**
 * SARIF and GitHub annotations name files from the root of the git work tree (code scanning and
 * the pull request's diff resolve them there), so a monorepo can analyze one directory of it.
 */
describe('sarif and github name files from the repository root', () => {
  const repo = mkdtempSync(path.join(tmpdir(), 'choreolint-monorepo-'));
  const shop = path.join(repo, 'apps', 'shop');
  mkdirSync(path.dirname(shop), { recursive: true });
  cpSync(fixture('shop'), shop, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=CI', '-c', 'init.defaultBranch=main', ...args], { cwd: repo, encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'initial');
  const outside = mkdtempSync(path.join(tmpdir(), 'choreolint-no-git-'));
  cpSync(fixture('shop'), outside, { recursive: true });
  afterAll(() => {
    rmSync(repo, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  const golden = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

  it('github, run from the repository root on apps/shop: every file under apps/shop/', () => {
    const run = runCli(['check', 'apps/shop', '--format', 'github'], { cwd: repo });
    expect(run.status).toBe(1);
    // Messages cite sites as file:line: those get the prefix too.
    const expected = golden('shop.expected.github.txt').replaceAll('file=', 'file=apps/shop/').replaceAll('↳ ', '↳ apps/shop/').replaceAll('again (services/', 'again (apps/shop/services/');
    expect(run.stdout).toBe(expected);
  });

  it('sarif, run inside apps/shop: every location under apps/shop/, the rest as before', () => {
    const run = runCli(['check', '.', '--format', 'sarif'], { cwd: shop });
    expect(run.status).toBe(1);
    const expected = JSON.parse(golden('shop.expected.sarif.json'), (key, value) => {
      if (typeof value !== 'string') return value;
      if (key === 'uri' && !value.startsWith('https:')) return `apps/shop/${value}`;
      // Messages cite sites as file:line: those get the prefix too.
      return key === 'text' ? value.replaceAll('again (services/', 'again (apps/shop/services/') : value;
    });
    expect(JSON.parse(run.stdout)).toEqual(expected);
  });

  it('the baseline file is annotated where it is in the repository', () => {
    writeFileSync(path.join(shop, 'known.json'), JSON.stringify({ format: 'choreolint-baseline', version: 1, findings: [{ ruleId: 'event-cycle', fingerprint: 'gone', file: 'services/x.ts', message: 'fixed since' }] }));
    const run = runCli(['check', 'apps/shop', '--format', 'github', '--baseline', 'apps/shop/known.json'], { cwd: repo });
    expect(run.stdout).toContain('::warning file=apps/shop/known.json,title=stale baseline entry::event-cycle at apps/shop/services/x.ts: fixed since');
  });

  it('a baseline kept at the repository root, given from there, is annotated there', () => {
    writeFileSync(path.join(repo, 'known-at-root.json'), JSON.stringify({ format: 'choreolint-baseline', version: 1, findings: [{ ruleId: 'event-cycle', fingerprint: 'gone', file: 'services/x.ts', message: 'fixed since' }] }));
    const run = runCli(['check', 'apps/shop', '--format', 'github', '--baseline', 'known-at-root.json'], { cwd: repo });
    expect(run.stdout).toContain('::warning file=known-at-root.json,title=stale baseline entry::event-cycle at apps/shop/services/x.ts: fixed since');
  });

  it('outside a git work tree, files are named from the analyzed directory', () => {
    const run = runCli(['check', outside, '--format', 'github']);
    expect(run.stdout).toBe(golden('shop.expected.github.txt'));
  });

  it('the other formats name files from the analyzed directory', () => {
    const run = runCli(['check', 'apps/shop', '--format', 'compact'], { cwd: repo });
    expect(run.stdout).toBe(golden('shop.expected.compact.txt'));
  });

  it('locations in another repository (--with) and diagnostics of no file keep their paths', () => {
    const result = handMadeResult();
    const moved = withPathPrefix(result, 'apps/orders/');
    expect(moved.findings.map((finding) => [finding.location.file, ...finding.related.map((related) => related.file)])).toEqual(
      result.findings.map((finding) => [finding.location, ...finding.related].map((location) => (location.repository ? location.file : `apps/orders/${location.file}`))),
    );
    expect(moved.findings.flatMap((finding) => [finding.location, ...finding.related]).filter((location) => location.repository).map((location) => location.file)).toEqual(['src/billing.ts', 'src/billing.ts']);
    expect(moved.diagnostics.map((diagnostic) => diagnostic.file)).toEqual(result.diagnostics.map((diagnostic) => diagnostic.file && `apps/orders/${diagnostic.file}`));
    expect(withPathPrefix(result, '')).toBe(result);
  });

  it('a message citing a site as file:line names it from the repository root, only for this repository\'s files', () => {
    const result = handMadeResult();
    const [first] = result.findings;
    const finding = {
      ...first!,
      message: 'cites (src/a.ts:3), lib/src/a.ts:4, billing-repo:src/a.ts:5 and src/a.tsx:6',
      location: { file: 'src/a.ts', line: 3, column: 1 },
      related: [
        { file: 'lib/src/a.ts', line: 4, column: 1, message: 'another file ending the same way' },
        { file: 'src/a.ts', line: 5, column: 1, repository: 'billing-repo', message: 'the same path in another repository' },
      ],
    };
    const moved = withPathPrefix({ ...result, findings: [finding] }, 'apps/orders/');
    expect(moved.findings[0]!.message).toBe('cites (apps/orders/src/a.ts:3), apps/orders/lib/src/a.ts:4, billing-repo:src/a.ts:5 and src/a.tsx:6');
  });
});
