import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/defaults.js';
import { discoverProject, readSourceText } from '../../src/discover/index.js';
import type { Result } from '../../src/model/result.js';
import { BIN } from '../helpers.js';
import { analyzeRepo, declarations, diagnostics, GOOD, GOOD_PUBLISHER, KAFKA_HEAD, writeHostileRepo } from './support/source-repo.js';

const publisher = (topic: string) =>
  `${KAFKA_HEAD}export async function a() {\n  await producer.send({ topic: '${topic}', messages: [] });\n}\n`;

const temp = mkdtempSync(path.join(os.tmpdir(), 'choreolint-hostile-fs-'));
// Readable by the unprivileged user the permission test runs the CLI as.
chmodSync(temp, 0o755);
const outside = path.join(temp, 'outside');
mkdirSync(outside);
writeFileSync(path.join(outside, 'secret.ts'), publisher('outside.secret'));
writeFileSync(path.join(outside, 'base.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@secret/*': ['secret/*'] } } }));

const pipeWriters: ChildProcess[] = [];
const lockedPaths: string[] = [];
afterAll(() => {
  for (const writer of pipeWriters) writer.kill();
  for (const locked of lockedPaths) chmodSync(locked, 0o755);
  rmSync(temp, { recursive: true, force: true });
});

let repos = 0;
const repo = (files: Record<string, string> = {}) => writeHostileRepo(path.join(temp, `repo-${++repos}`), 'hostile-fs', files);

/**
 * A named pipe, with a writer standing by: if anything ever opens the pipe to read it, the writer
 * closes it at once, so a regression fails on its assertions instead of blocking the run forever.
 */
function namedPipe(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  spawnSync('mkfifo', [file]);
  const writer = spawn(process.execPath, ['-e', "const fs = require('fs'); fs.closeSync(fs.openSync(process.argv[1], 'w'));", file], { stdio: 'ignore' });
  pipeWriters.push(writer);
}


function checkWithCli(dir: string, command: string[] = [process.execPath, BIN]): Result {
  const run = spawnSync(command[0]!, [...command.slice(1), 'check', '--format', 'json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as Result;
}

/** Root reads a file whatever its mode: chmod 000 then makes nothing unreadable. */
function permissionsAreEnforced(): boolean {
  const probe = path.join(temp, 'probe');
  writeFileSync(probe, 'probe');
  chmodSync(probe, 0);
  try {
    readFileSync(probe);
    return false;
  } catch {
    return true;
  } finally {
    unlinkSync(probe);
  }
}

const canDropPrivileges = process.getuid?.() === 0 && spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']).status === 0;

describe('unreadable files', () => {
  const locked = () => {
    const dir = repo({ 'src/locked.ts': publisher('locked.event'), 'src/private/hidden.ts': publisher('hidden.event') });
    chmodSync(dir, 0o755);
    for (const locked of [path.join(dir, 'src/locked.ts'), path.join(dir, 'src/private')]) {
      chmodSync(locked, 0);
      lockedPaths.push(locked);
    }
    return dir;
  };
  const expected = ['read-error src/locked.ts:1:1 cannot read file (EACCES)', 'read-error src/private:: cannot read directory (EACCES)'];

  it.skipIf(!permissionsAreEnforced())('chmod 000: a one-line diagnostic, the rest analyzed (skipped as root, who reads any file)', async () => {
    const result = await analyzeRepo(locked());
    expect(diagnostics(result)).toEqual(expected);
    expect(declarations(result)).toEqual([GOOD]);
  });

  it.skipIf(!canDropPrivileges)('chmod 000, through the CLI run as an unprivileged user (needs root and setpriv to drop privileges)', () => {
    const result = checkWithCli(locked(), ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN]);
    expect(diagnostics(result)).toEqual(expected);
    expect(declarations(result)).toEqual([GOOD]);
  });
});

describe('files that are not regular files', () => {
  const withPipes = () => {
    const dir = repo({ 'tsconfig.json': JSON.stringify({ extends: './tsconfig.base.json' }) });
    namedPipe(path.join(dir, 'src/pipe.ts'));
    namedPipe(path.join(dir, 'tsconfig.base.json'));
    namedPipe(path.join(dir, '.gitignore'));
    symlinkSync('missing.ts', path.join(dir, 'src/ghost.ts'));
    symlinkSync('self.ts', path.join(dir, 'src/self.ts'));
    symlinkSync('pipe.ts', path.join(dir, 'src/to-pipe.ts'));
    return dir;
  };
  const expected = [
    'read-error src/ghost.ts:: broken symbolic link, skipped',
    'read-error src/pipe.ts:: not a regular file (named pipe), skipped',
    'read-error src/self.ts:: symbolic link loop, skipped',
    'read-error src/to-pipe.ts:: not a regular file (symbolic link to a named pipe), skipped',
    'manifest-error tsconfig.base.json:: not a regular file, skipped',
  ];

  it('named pipes are never opened to be read (that blocks forever), dangling links are named: the run goes on', async () => {
    const result = await analyzeRepo(withPipes());
    expect(diagnostics(result)).toEqual(expected);
    expect(declarations(result)).toEqual([GOOD]);
  });

  it('the same through the CLI', () => {
    const result = checkWithCli(withPipes());
    expect(diagnostics(result)).toEqual(expected);
    expect(declarations(result)).toEqual([GOOD]);
  });
});

describe('symbolic links', () => {
  const linked = () => {
    const dir = repo({ 'src/publisher.ts': publisher('inside.event'), 'scripts/tool.ts': publisher('tool.event') });
    symlinkSync('publisher.ts', path.join(dir, 'src/alias.ts'));
    mkdirSync(path.join(dir, 'lib'));
    symlinkSync('../src/publisher.ts', path.join(dir, 'lib/linked.ts'));
    // scripts/ is excluded by default: the file is analyzed once, through the first of its links.
    symlinkSync('../scripts/tool.ts', path.join(dir, 'src/tool.ts'));
    symlinkSync('../scripts/tool.ts', path.join(dir, 'src/tool-again.ts'));
    symlinkSync('..', path.join(dir, 'src/loop'));
    mkdirSync(path.join(dir, 'src/deeper'));
    symlinkSync('../..', path.join(dir, 'src/deeper/up'));
    symlinkSync(path.join(outside, 'secret.ts'), path.join(dir, 'src/outside.ts'));
    symlinkSync(outside, path.join(dir, 'src/external'));
    return dir;
  };

  it('a file reached through links is analyzed once; loops end; nothing outside the root is read', async () => {
    const result = await analyzeRepo(linked());
    expect(declarations(result)).toEqual(['publish inside.event src/publisher.ts:4:9', 'publish tool.event src/tool-again.ts:4:9', GOOD]);
    expect(diagnostics(result)).toEqual(['read-error src/outside.ts:: symbolic link to outside the analyzed directory, not followed']);
    expect(result.stats.files).toBe(3);
  });

  it('the same through the CLI', () => {
    const result = checkWithCli(linked());
    expect(declarations(result)).toEqual(['publish inside.event src/publisher.ts:4:9', 'publish tool.event src/tool-again.ts:4:9', GOOD]);
    expect(diagnostics(result)).toEqual(['read-error src/outside.ts:: symbolic link to outside the analyzed directory, not followed']);
  });

  it('a path through a linked directory is not read either (a tsconfig extends, a $ref)', async () => {
    const dir = repo({ 'tsconfig.json': JSON.stringify({ extends: './linked/base.json' }) });
    symlinkSync(outside, path.join(dir, 'linked'));
    expect(readSourceText(dir, 'linked/secret.ts')).toEqual({ error: 'symbolic link to outside the analyzed directory, not followed', outside: true });
    expect(readSourceText(dir, 'linked/base.json')).toEqual({ error: 'symbolic link to outside the analyzed directory, not followed', outside: true });
    const result = await analyzeRepo(dir);
    expect(diagnostics(result)).toEqual(['manifest-error linked/base.json:: symbolic link to outside the analyzed directory, not followed']);
    expect(declarations(result)).toEqual([GOOD]);
  });
});

describe('files that vanish or cannot be named', () => {
  it('a file deleted between discovery and reading: a one-line diagnostic', () => {
    const dir = repo({ 'src/vanishing.ts': publisher('vanishing.event') });
    const { layout } = discoverProject(dir, defaultConfig(dir));
    expect(layout.files).toEqual(['src/vanishing.ts', 'src/z-good.ts']);
    unlinkSync(path.join(dir, 'src/vanishing.ts'));
    expect(readSourceText(layout.root, 'src/vanishing.ts')).toEqual({ error: 'file vanished during the run', missing: true });
    expect(readSourceText(layout.root, 'src/z-good.ts')).toMatchObject({ text: GOOD_PUBLISHER });
  });

  it('a file name that is not UTF-8 is named as such, not reported as vanished', async () => {
    const dir = repo();
    writeFileSync(Buffer.concat([Buffer.from(`${dir}/src/caf`), Buffer.from([0xe9]), Buffer.from('.ts')]), publisher('latin1.name'));
    expect(existsSync(path.join(dir, 'src/caf\uFFFD.ts'))).toBe(false);
    const result = await analyzeRepo(dir);
    expect(diagnostics(result)).toEqual(['read-error src/caf\uFFFD.ts:: file name is not valid UTF-8, skipped']);
    expect(declarations(result)).toEqual([GOOD]);
  });
});

describe('paths that leave the root', () => {
  it('are refused however they are spelled', () => {
    const dir = repo();
    expect(readSourceText(dir, '../outside/secret.ts')).toEqual({ error: 'outside the analyzed directory, not read', outside: true });
    expect(readSourceText(dir, path.join(outside, 'secret.ts'))).toEqual({ error: 'outside the analyzed directory, not read', outside: true });
    expect(readSourceText(dir, 'src/../../outside/secret.ts')).toEqual({ error: 'outside the analyzed directory, not read', outside: true });
    expect(readSourceText(dir, 'src/../src/z-good.ts')).toMatchObject({ text: GOOD_PUBLISHER });
  });
});

describe('a named pipe in the config file place', () => {
  it('is a config error (exit code 2, one line), not a run blocked forever', () => {
    const dir = repo();
    namedPipe(path.join(dir, 'choreolint.yaml'));
    const run = spawnSync(process.execPath, [BIN, 'check'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
    expect(run.stderr).toBe('choreolint: choreolint.yaml: config file is not a regular file\n');
    expect(run.status).toBe(2);
  });
});
