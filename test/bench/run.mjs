// npm run bench [-- --sizes 200,2000,10000] [--runs 3] [--dir PATH [--change FILE] [--change-plain FILE]] [--cli PATH/bin/choreolint.js] [--no-daemon]
// Measures, as whole processes and in the same run: reading every file; the floor (reading and
// parsing every file with TypeScript's parser alone); `choreolint check` cold; warm with one file
// changed (one that publishes, and one plain file); warm with nothing changed; the peak RSS of each;
// then the warm runs again with the daemon running (`choreolint daemon start`).
// Prints the ratios against the targets.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMonorepo } from './generate.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(`--${name}`);
  return index === -1 ? fallback : args[index + 1];
};
// --cli measures another build (a snapshot, so that rebuilding this checkout mid-run cannot disturb it).
const cli = path.resolve(option('cli', path.join(here, '..', '..', 'bin', 'choreolint.js')));
const runs = Number(option('runs', '3'));
const sizes = option('sizes', '200,2000,10000').split(',').map(Number);
const dir = option('dir', undefined);
const withDaemon = !args.includes('--no-daemon');
// Runs without the daemon never reach one the user has running; the daemon runs get one of their own.
const DIRECT = { ...process.env, CHOREOLINT_DAEMON: '0' };
const daemonDir = mkdtempSync(path.join(tmpdir(), 'choreolint-bench-daemon-'));
const VIA_DAEMON = { ...process.env, CHOREOLINT_DAEMON_DIR: daemonDir };
process.on('exit', () => rmSync(daemonDir, { recursive: true, force: true }));

function measure(command, times = runs, env = DIRECT) {
  const samples = [];
  let rss = 0;
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, command, { encoding: 'utf8', maxBuffer: 1 << 30, env });
    samples.push(performance.now() - started);
    const match = /choreolint-bench-maxrss-kb (\d+)/.exec(run.stderr ?? '');
    if (match) rss = Math.max(rss, Number(match[1]));
    if (run.status !== 0 && run.status !== 1) throw new Error(`${command.join(' ')} exited ${run.status}: ${run.stderr}`);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)], rssMiB: rss / 1024 };
}

function bench(label, root, changeFile, plainFile, fileCount) {
  const cache = path.join(tmpdir(), 'choreolint-bench-cache', label);
  rmSync(cache, { recursive: true, force: true });
  const check = (...extra) => ['--require', path.join(here, 'rss.cjs'), cli, 'check', root, '--format', 'json', '--no-color', ...extra];
  const read = measure([path.join(here, 'floor.mjs'), root, '--read-only']);
  const floor = measure([path.join(here, 'floor.mjs'), root]);
  const cold = measure(check());
  measure(check('--cache', '--cache-location', cache));
  const warm = measure(check('--cache', '--cache-location', cache));
  const warmChanged = warmAfterEdits(changeFile);
  const warmPlainChanged = plainFile ? warmAfterEdits(plainFile) : undefined;
  const daemon = withDaemon ? benchDaemon() : undefined;
  return { label, files: fileCount, read, floor, cold, warmChanged, warmPlainChanged, warm, daemon };

  /**
   * The warm runs again, handed to a daemon (started here, stopped after). A daemon serves many
   * commits: its first runs (one with nothing changed, which reads the caches, and two after an
   * edit, in which the functions of link and the rules get compiled) are not measured.
   */
  function benchDaemon() {
    const daemonCommand = (...rest) => spawnSync(process.execPath, [cli, 'daemon', ...rest], { encoding: 'utf8', env: VIA_DAEMON });
    const started = daemonCommand('start', '--idle-timeout', '10');
    if (started.status !== 0) throw new Error(`choreolint daemon start exited ${started.status}: ${started.stderr}`);
    try {
      measure(check('--cache', '--cache-location', cache), 1, VIA_DAEMON);
      warmAfterEdits(changeFile, VIA_DAEMON, 2);
      const warm = measure(check('--cache', '--cache-location', cache), runs, VIA_DAEMON);
      const warmChanged = warmAfterEdits(changeFile, VIA_DAEMON);
      const warmPlainChanged = plainFile ? warmAfterEdits(plainFile, VIA_DAEMON) : undefined;
      const status = daemonCommand('status');
      const served = / (\d+) runs? since .* \(peak (\d+) MiB\)/.exec(status.stdout);
      if (!served || Number(served[1]) < runs) throw new Error(`the daemon did not serve the runs: ${status.stdout}${status.stderr}`);
      return { warm, warmChanged, warmPlainChanged, rssMiB: Number(served[2]) };
    } finally {
      daemonCommand('stop');
    }
  }

  /**
   * One run per edit (a second run on the same edit would be a run with nothing changed). Edit i
   * puts i + 1 lines above everything: every declaration of the file moves from where the last run
   * saw it, so its summary changes each time.
   */
  function warmAfterEdits(file, env = DIRECT, edits = runs) {
    const original = readFileSync(file, 'utf8');
    const samples = [];
    let rss = 0;
    for (let i = 0; i < edits; i++) {
      writeFileSync(file, `${'// edit\n'.repeat(i + 1)}${original}`);
      const result = measure(check('--cache', '--cache-location', cache), 1, env);
      samples.push(result.ms);
      rss = Math.max(rss, result.rssMiB);
    }
    writeFileSync(file, original);
    // Back to the original, so that the next measurement starts from a cache of the repository as it is.
    measure(check('--cache', '--cache-location', cache), 1, env);
    samples.sort((a, b) => a - b);
    return { ms: samples[Math.floor(samples.length / 2)], rssMiB: rss };
  }
}

// Node's own start-up, which every run pays before choreolint does anything: what no run can go below.
const nodeStart = measure(['-e', '0'], Math.max(runs, 10), DIRECT);
// Node 20 loads its TLS root certificates at start-up when NODE_EXTRA_CA_CERTS is set (nodejs/node#40524),
// though choreolint never opens a connection: measured too, so the table can be read without it.
const extraCaCerts = process.env.NODE_EXTRA_CA_CERTS
  ? nodeStart.ms - measure(['-e', '0'], Math.max(runs, 10), withoutEnv(DIRECT, 'NODE_EXTRA_CA_CERTS')).ms
  : undefined;

const results = [];
if (dir) {
  const root = path.resolve(dir);
  const changeFile = option('change', undefined) ?? findSourceFile(root);
  const plainFile = option('change-plain', undefined);
  results.push(bench(path.basename(root), root, path.resolve(changeFile), plainFile && path.resolve(plainFile), countFiles(root)));
} else {
  for (const size of sizes) {
    const root = path.join(tmpdir(), 'choreolint-bench', String(size));
    const { files, messagingFile, plainFile } = generateMonorepo(root, { files: size });
    results.push(bench(`${size} files`, root, path.join(root, messagingFile), path.join(root, plainFile), files));
  }
}
printTable(results);
printStartUp(results);
if (args.includes('--json')) writeFileSync(option('json', 'bench-results.json'), `${JSON.stringify({ nodeStart, extraCaCerts, results }, null, 2)}\n`);

function withoutEnv(env, name) {
  const { [name]: _removed, ...rest } = env;
  return rest;
}

function printStartUp(rows) {
  const ofCold = rows.map((row) => `${(nodeStart.ms / row.cold.ms).toFixed(2)} of cold at ${row.label}`).join(', ');
  console.log(`\nNode's own start-up (\`node -e 0\`): ${(nodeStart.ms / 1000).toFixed(3)} s, ${ofCold}.`);
  if (extraCaCerts === undefined) return;
  console.log(
    `NODE_EXTRA_CA_CERTS is set: Node loads its TLS root certificates as it starts (nodejs/node#40524), ${extraCaCerts.toFixed(0)} ms of every process here. ` +
      'choreolint never opens a connection; `env -u NODE_EXTRA_CA_CERTS npm run bench` measures without it.',
  );
}

function printTable(rows) {
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  const check = (ok) => (ok ? '✓' : '✗');
  const lines = [
    '| repository | files | read | floor (a) | cold (b) | b/a ≤ 0.8 | warm, 1 changed (c) | c/b ≤ 0.3 | warm, 1 plain file changed (c′) | c′/b | warm, none changed (d) | d/read ≤ 2 | cold per file | peak RSS cold / warm |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of rows) {
    const ba = row.cold.ms / row.floor.ms;
    const cb = row.warmChanged.ms / row.cold.ms;
    const dr = row.warm.ms / row.read.ms;
    const plain = row.warmPlainChanged ? `${s(row.warmPlainChanged.ms)} | ${(row.warmPlainChanged.ms / row.cold.ms).toFixed(2)}` : '— | —';
    lines.push(
      `| ${row.label} | ${row.files} | ${s(row.read.ms)} | ${s(row.floor.ms)} | ${s(row.cold.ms)} | ${ba.toFixed(2)} ${check(ba <= 0.8)} | ${s(row.warmChanged.ms)} | ${cb.toFixed(2)} ${check(cb <= 0.3)} | ${plain} | ${s(row.warm.ms)} | ${dr.toFixed(2)} ${check(dr <= 2)} | ${(row.cold.ms / row.files).toFixed(2)} ms | ${row.cold.rssMiB.toFixed(0)} / ${row.warm.rssMiB.toFixed(0)} MiB${row.files >= 10000 ? ` ${check(row.cold.rssMiB <= 400)}` : ''} |`,
    );
  }
  console.log(lines.join('\n'));
  const daemonRows = rows.filter((row) => row.daemon);
  if (daemonRows.length === 0) return;
  const daemonLines = [
    '',
    'With the daemon running (`choreolint daemon start`; each run still a whole client process):',
    '',
    '| repository | cold (b) | daemon, 1 changed (c) | c/b ≤ 0.3 | daemon, 1 plain file changed | /b | daemon, none changed (d) | d/read ≤ 2 | daemon peak RSS |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of daemonRows) {
    const { daemon } = row;
    const cb = daemon.warmChanged.ms / row.cold.ms;
    const dr = daemon.warm.ms / row.read.ms;
    const plain = daemon.warmPlainChanged ? `${s(daemon.warmPlainChanged.ms)} | ${(daemon.warmPlainChanged.ms / row.cold.ms).toFixed(2)}` : '— | —';
    daemonLines.push(
      `| ${row.label} | ${s(row.cold.ms)} | ${s(daemon.warmChanged.ms)} | ${cb.toFixed(2)} ${check(cb <= 0.3)} | ${plain} | ${s(daemon.warm.ms)} | ${dr.toFixed(2)} ${check(dr <= 2)} | ${daemon.rssMiB} MiB${row.files >= 10000 ? ` ${check(daemon.rssMiB <= 400)}` : ''} |`,
    );
  }
  console.log(daemonLines.join('\n'));
}

function findSourceFile(root) {
  const result = spawnSync('git', ['-C', root, 'ls-files', '*.ts'], { encoding: 'utf8' });
  const file = result.stdout.split('\n').find(Boolean);
  if (!file) throw new Error('pass --change FILE: no tracked .ts file found to edit');
  return path.join(root, file);
}

function countFiles(root) {
  const result = spawnSync('git', ['-C', root, 'ls-files'], { encoding: 'utf8' });
  return result.stdout.split('\n').filter((file) => /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/.test(file)).length;
}
