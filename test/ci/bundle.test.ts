import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildStamp, VERSION } from '../../src/version.js';
import { ROOT } from '../helpers.js';

describe('the bundled CLI and its code cache', () => {
  it('the build wrote V8\'s code cache for this Node, and V8 accepts it', () => {
    expect(existsSync(path.join(ROOT, 'dist', `choreolint.cjs.${process.version}-${process.arch}.v8`))).toBe(true);
    const probe = "import loader from './bin/load-bundle.cjs'; const { loadBundle } = loader; const { cacheRejected, exports } = loadBundle(); console.log(JSON.stringify({ cacheRejected, main: typeof exports.main }));";
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ cacheRejected: false, main: 'function' });
  });

  it('runs without it (another Node), compiling the bundle as usual', () => {
    const probe = "import loader from './bin/load-bundle.cjs'; const { loadBundle } = loader; const { exports } = loadBundle({ codeCache: false }); process.exitCode = await exports.main(['node', 'choreolint', 'check', 'fixtures/shop', '--format', 'compact']);";
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout.trim().split('\n').at(-1)).toBe('8 problems (1 error, 7 warnings): 14 declarations, 8 events, 6 handlers in 3 services (15 files)');
  });

  it('a checkout that was never built says so in one line, with no stack trace, and exits 2', () => {
    const checkout = mkdtempSync(path.join(tmpdir(), 'choreolint-unbuilt-'));
    try {
      cpSync(path.join(ROOT, 'bin'), path.join(checkout, 'bin'), { recursive: true });
      cpSync(path.join(ROOT, 'package.json'), path.join(checkout, 'package.json'));
      const run = spawnSync(process.execPath, [path.join(checkout, 'bin', 'choreolint.js'), 'check', '.'], { cwd: checkout, encoding: 'utf8' });
      expect([run.status, run.stdout, run.stderr]).toEqual([2, '', `choreolint: ${path.join(checkout, 'dist')} is missing: run "npm run build" (or "npm ci", which builds)\n`]);
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });

  it('the build wrote dist/build-id, the bundle\'s hash, which keys the caches with the version', () => {
    const id = readFileSync(path.join(ROOT, 'dist', 'build-id'), 'utf8').trim();
    expect(id).toBe(createHash('sha1').update(readFileSync(path.join(ROOT, 'dist', 'choreolint.cjs'))).digest('hex'));
    expect(buildStamp()).toBe(`${VERSION}+${id}`);
  });
});
