import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { RULES } from '../../src/check/registry.js';
import { writeFileAtomic } from '../../src/io/write-file-atomic.js';
import { fixture } from '../helpers.js';
import { runCliProcess, SUPPORT, type ProcessRun } from './support/cli-process.js';

/**
 * Every file choreolint writes survives a SIGKILL in the middle of the write: the preload kills
 * the process once the first bytes reached the file (or its temporary), and the previous file
 * must still be there, byte for byte; the next run must then write the whole new file.
 */
const KILLER = path.join(SUPPORT, 'kill-mid-write.mjs');
const KILL_AFTER_BYTES = 100;
const scratch = mkdtempSync(path.join(tmpdir(), 'choreolint-atomic-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function workspace(name: string, fixtureName?: string): string {
  const dir = path.join(scratch, name);
  if (fixtureName) cpSync(fixture(fixtureName), dir, { recursive: true });
  else mkdirSync(dir, { recursive: true });
  return dir;
}

/** Matches the file and any temporary named after it (`.name.<pid>.<time>.tmp`). */
function namePattern(name: string): string {
  return `(^|/)\\.?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\\.[^/]*)?$`;
}

function killedWriting(name: string, args: string[], cwd?: string): Promise<ProcessRun> {
  return runCliProcess(args, {
    preload: [KILLER],
    env: { CHOREOLINT_WRITE_PATTERN: namePattern(name), CHOREOLINT_KILL_AFTER_BYTES: String(KILL_AFTER_BYTES) },
    ...(cwd ? { cwd } : {}),
  });
}

/** What the kill left beside the destination: the temporaries named after it. */
function temporariesOf(dir: string, name: string): string[] {
  return readdirSync(dir).filter((entry) => entry !== name && entry.startsWith(`.${name}.`));
}

function bytesOf(file: string): Buffer {
  return readFileSync(file);
}

describe.concurrent('--output of every command: a kill mid-write leaves the previous report', () => {
  const shop = fixture('shop-acyclic');
  const cases = [
    { command: 'check', name: 'report.json', args: (output?: string) => ['check', shop, '--format', 'json', ...(output ? ['--output', output] : [])] },
    { command: 'graph', name: 'graph.dot', args: (output?: string) => ['graph', shop, '--format', 'dot', ...(output ? ['--output', output] : [])] },
    { command: 'flow', name: 'flow.txt', args: (output?: string) => ['flow', 'shop.order.placed', shop, ...(output ? ['--output', output] : [])] },
    { command: 'asyncapi', name: 'payment.asyncapi.yaml', args: (output?: string) => ['asyncapi', shop, '--service', 'payment-service', ...(output ? ['--output', output] : [])] },
  ];

  it.for(cases)('$command --output $name', { timeout: 30_000 }, async ({ command, name, args }, { expect }) => {
    const dir = workspace(`output-${command}`);
    const destination = path.join(dir, name);
    const previous = Buffer.from(`the report of the previous run, which must survive (${command})\n`);
    writeFileSync(destination, previous);
    const expected = await runCliProcess(args());
    expect(expected.status).toBe(0);
    expect(Buffer.byteLength(expected.stdout)).toBeGreaterThan(KILL_AFTER_BYTES);

    const killed = await killedWriting(name, args(destination));
    expect({ status: killed.status, signal: killed.signal }).toEqual({ status: null, signal: 'SIGKILL' });
    expect(bytesOf(destination)).toEqual(previous);
    const [temporary, ...more] = temporariesOf(dir, name);
    expect(more).toEqual([]);
    expect(bytesOf(path.join(dir, temporary!))).toEqual(Buffer.from(expected.stdout).subarray(0, KILL_AFTER_BYTES));

    const next = await runCliProcess(args(destination));
    expect({ status: next.status, stdout: next.stdout, stderr: next.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(readFileSync(destination, 'utf8')).toBe(expected.stdout);
    // The write that succeeds removes what the killed one left (its writer is gone).
    expect(temporariesOf(dir, name)).toEqual([]);
  });
});

describe.concurrent('--update-baseline, init, and the caches: a kill mid-write leaves the previous file', () => {
  it('--update-baseline keeps the previous baseline, and the next run records the new findings', async ({ expect }) => {
    const repo = workspace('baseline', 'shop');
    const baseline = path.join(repo, '.choreolint-baseline.json');
    expect((await runCliProcess(['check', '--update-baseline'], { cwd: repo })).status).toBe(0);
    const previous = bytesOf(baseline);
    const publisher = path.join(repo, 'services/payment/src/payment.events.ts');
    writeFileSync(publisher, readFileSync(publisher, 'utf8').replace('PAYMENT_REFUNDED', 'PAYMENT_FAILED'));

    const killed = await killedWriting('.choreolint-baseline.json', ['check', '--update-baseline'], repo);
    expect(killed.signal).toBe('SIGKILL');
    expect(bytesOf(baseline)).toEqual(previous);
    expect(temporariesOf(repo, '.choreolint-baseline.json')).toHaveLength(1);

    const next = await runCliProcess(['check', '--update-baseline'], { cwd: repo });
    expect({ status: next.status, stderr: next.stderr }).toEqual({ status: 0, stderr: 'choreolint: wrote 8 known findings to .choreolint-baseline.json\n' });
    const messages = (file: Buffer) => (JSON.parse(file.toString('utf8')) as { findings: Array<{ message: string }> }).findings.map((entry) => entry.message);
    expect(messages(bytesOf(baseline)).filter((message) => !messages(previous).includes(message))).toEqual([
      'Event cycle (ping-pong): shop.order.cancelled → shop.payment.failed → shop.order.cancelled',
    ]);
  }, 30_000);

  it('init --force keeps the previous choreolint.yaml, and the next run writes the whole new one', async ({ expect }) => {
    const repo = workspace('init', 'shop-acyclic');
    const config = path.join(repo, 'choreolint.yaml');
    const previous = Buffer.from('# the team’s config, which must survive\nexternal: ["billing.*"]\n');
    writeFileSync(config, previous);

    const killed = await killedWriting('choreolint.yaml', ['init', '--yes', '--force'], repo);
    expect(killed.signal).toBe('SIGKILL');
    expect(bytesOf(config)).toEqual(previous);
    expect(temporariesOf(repo, 'choreolint.yaml')).toHaveLength(1);

    const next = await runCliProcess(['init', '--yes', '--force'], { cwd: repo });
    expect(next.status).toBe(0);
    const written = readFileSync(config, 'utf8');
    expect(written.split('\n')[0]).toBe('# choreolint configuration: https://github.com/choreolint/choreolint/blob/main/docs/configuration.md');
    expect(written.split('\n').slice(-RULES.length - 1)).toEqual([...RULES.map((rule) => `  ${rule.meta.id}: ${rule.meta.defaultSeverity}  # ${rule.meta.description}`), '']);
    // The temporary the kill left behind is no config file: the repository checks as before.
    expect((await runCliProcess(['check'], { cwd: repo })).status).toBe(0);
  }, 30_000);

  it('the summary cache and the result cache keep their previous content; the next run rebuilds them', async ({ expect }) => {
    const repo = workspace('cache', 'shop');
    const cache = path.join(scratch, 'cache-location');
    const check = ['check', '--format', 'json', '--cache-location', cache];
    const cold = await runCliProcess(check, { cwd: repo });
    expect(cold.status).toBe(1);
    const summaries = path.join(cache, 'summaries.jsonl');
    const results = path.join(cache, 'result.json');
    const index = path.join(cache, 'files.json');
    const previousSummaries = bytesOf(summaries);
    const previousResults = bytesOf(results);
    const previousIndex = bytesOf(index);
    const handler = path.join(repo, 'services/payment/src/payment.handler.ts');
    writeFileSync(handler, `${readFileSync(handler, 'utf8')}\n// reviewed\n`);

    const killedOnSummaries = await killedWriting('summaries.jsonl', check, repo);
    expect(killedOnSummaries.signal).toBe('SIGKILL');
    expect(bytesOf(summaries)).toEqual(previousSummaries);
    expect(bytesOf(results)).toEqual(previousResults);
    expect(bytesOf(index)).toEqual(previousIndex);

    const killedOnIndex = await killedWriting('files.json', check, repo);
    expect(killedOnIndex.signal).toBe('SIGKILL');
    expect(bytesOf(index)).toEqual(previousIndex);
    expect(bytesOf(results)).toEqual(previousResults);

    const killedOnResults = await killedWriting('result.json', check, repo);
    expect(killedOnResults.signal).toBe('SIGKILL');
    expect(bytesOf(results)).toEqual(previousResults);
    expect(JSON.parse(readFileSync(summaries, 'utf8').split('\n')[0]!).format).toBe('choreolint-summary-cache');
    // The second run wrote the summaries whole, and removed the temporary the first kill left.
    expect(temporariesOf(cache, 'summaries.jsonl')).toHaveLength(0);
    expect(temporariesOf(cache, 'files.json')).toHaveLength(0);
    expect(JSON.parse(readFileSync(index, 'utf8')).format).toBe('choreolint-file-index');
    expect(temporariesOf(cache, 'result.json')).toHaveLength(1);

    const next = await runCliProcess(check, { cwd: repo });
    expect(temporariesOf(cache, 'result.json')).toHaveLength(0);
    const uncached = await runCliProcess(['check', '--format', 'json'], { cwd: repo });
    expect(next.status).toBe(1);
    expect(next.stdout).toBe(uncached.stdout);
    const warm = await runCliProcess([...check, '--debug'], { cwd: repo });
    // How many files it reads depends on how many were written within the file index's racy window.
    expect(warm.stderr.split('\n')[0]).toMatch(/^choreolint: read \d+ files, nothing changed: the result came from the cache$/);
    expect(warm.stdout).toBe(uncached.stdout);
  }, 30_000);
});

describe.concurrent('short writes, and outputs that cannot be written', () => {
  it('write(2) may take fewer bytes than it is given: the report and the caches are whole when every write takes at most 7 bytes', async ({ expect }) => {
    const repo = workspace('short-writes', 'shop-acyclic');
    const cache = path.join(scratch, 'short-writes-cache');
    const output = path.join(scratch, 'short-writes-report.json');
    const env = { CHOREOLINT_WRITE_PATTERN: '(short-writes-report\\.json|summaries\\.jsonl|files\\.json|result\\.json)', CHOREOLINT_SHORT_WRITES: '7' };
    const run = await runCliProcess(['check', '--format', 'json', '--output', output, '--cache-location', cache], { cwd: repo, preload: [KILLER], env });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const expected = await runCliProcess(['check', '--format', 'json'], { cwd: repo });
    expect(readFileSync(output, 'utf8')).toBe(expected.stdout);
    const warm = await runCliProcess(['check', '--cache-location', cache, '--debug'], { cwd: repo });
    // Files copied within the file index's racy window of the first run are read again.
    expect(warm.stderr.split('\n')[0]).toMatch(/^choreolint: read \d+ files, nothing changed: the result came from the cache$/);
  }, 30_000);

  it.for([
    ['a directory that does not exist', 'missing/report.json', 'choreolint: cannot write missing/report.json (no such directory)\n'],
    ['a directory', 'existing-directory', 'choreolint: cannot write existing-directory (it is a directory)\n'],
  ] as const)('an --output into %s: one line naming it, exit code 2, no temporary left', async ([, output, stderr], { expect }) => {
    const dir = workspace(`unwritable-${output.replace(/\W/g, '-')}`);
    mkdirSync(path.join(dir, 'existing-directory'));
    const run = await runCliProcess(['check', fixture('shop-acyclic'), '--output', output], { cwd: dir });
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 2, stdout: '', stderr });
    expect(readdirSync(dir)).toEqual(['existing-directory']);
  });
});

describe('temporaries', () => {
  it('a successful write removes the temporaries of killed writers of the same file, and keeps those of live ones and of other files', ({ expect }) => {
    const dir = mkdtempSync(path.join(scratch, 'temporaries-'));
    const exited = spawnSync(process.execPath, ['-e', '']);
    const deadPid = exited.pid!;
    const abandoned = `.report.txt.${deadPid}.1700000000000.tmp`;
    const live = `.report.txt.${process.pid}.1700000000000.tmp`;
    const otherFile = `.other.txt.${deadPid}.1700000000000.tmp`;
    for (const name of [abandoned, live, otherFile]) writeFileSync(path.join(dir, name), 'half a rep');
    writeFileAtomic(path.join(dir, 'report.txt'), 'the whole report\n');
    expect(readdirSync(dir).sort()).toEqual([otherFile, live, 'report.txt'].sort());
    expect(readFileSync(path.join(dir, 'report.txt'), 'utf8')).toBe('the whole report\n');
  });
});
