import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixture, ROOT } from '../helpers.js';

interface PreCommitHook {
  id: string;
  entry: string;
  language: string;
  require_serial: boolean;
  pass_filenames: boolean;
  types_or: string[];
}
interface ActionStep {
  id?: string;
  run?: string;
  env?: Record<string, string>;
}

const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
const binOf = (command: string) => path.join(ROOT, packageJson.bin[command]!);
const work = mkdtempSync(path.join(tmpdir(), 'choreolint-hooks-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
/** The shop example copied, since both fill a cache under the analyzed directory's node_modules. */
function checkoutOfShop(name: string): string {
  const checkout = path.join(work, name);
  cpSync(fixture('shop'), checkout, { recursive: true });
  return checkout;
}

describe('.pre-commit-hooks.yaml', () => {
  const [hook] = parse(readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as PreCommitHook[];

  it('declares a serial node hook that receives the staged file names', () => {
    expect(hook).toMatchObject({ id: 'choreolint', language: 'node', require_serial: true, pass_filenames: true });
    expect(hook!.types_or).toEqual(['ts', 'tsx', 'javascript', 'jsx', 'yaml', 'json']);
  });

  it('runs as pre-commit runs it: the entry, then the file names, from the repository root', () => {
    const [command, ...entryArgs] = hook!.entry.split(' ');
    // pre-commit installs the package and puts its `bin` on PATH; run that same bin.
    const run = spawnSync(process.execPath, [binOf(command!), ...entryArgs, '--no-color', 'services/payment/src/payment.events.ts'], {
      cwd: checkoutOfShop('pre-commit'),
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    // The orphan in the file, and the event cycle and service cycle whose paths cross it; not the
    // findings elsewhere (the other orphan, the handlers in order-service).
    expect(run.stdout).toContain('✖ 3 problems (1 error, 2 warnings)');
    expect(run.stdout).toContain('shop.payment.refunded is published by PaymentEvents.refunded');
    expect(run.stdout).not.toContain('shop.order.confirmed');
    expect(run.stdout).toContain('only findings that touch 1 file (the whole topology was analyzed)');
    expect(run.status).toBe(1);
  });
});

describe('action.yml', () => {
  const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default: string }>;
    runs: { using: string; steps: ActionStep[] };
  };

  it('is a composite action whose check step writes SARIF, annotations, a job summary and the exit code', () => {
    expect(action.runs.using).toBe('composite');
    const check = action.runs.steps.find((step) => step.id === 'check')!;
    const outputFile = path.join(work, 'output');
    const summaryFile = path.join(work, 'summary.md');
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    // The step's own script, with its inputs at their defaults, as the runner would run it.
    const inputs = (name: string) => action.inputs[name]!.default;
    const env = Object.fromEntries(
      Object.entries(check.env!).map(([key, value]) => [key, value.replace(/^\$\{\{ inputs\.([\w-]+) \}\}$/, (_, name: string) => inputs(name))]),
    );
    const checkout = checkoutOfShop('action');
    const stdout = execFileSync('bash', ['-e', '-c', check.run!], {
      cwd: checkout,
      env: { ...process.env, ...env, CHOREOLINT_SARIF: path.join(work, 'choreolint.sarif'), GITHUB_ACTION_PATH: ROOT, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile },
      encoding: 'utf8',
    });
    expect(readFileSync(outputFile, 'utf8')).toBe('exit-code=1\n');
    expect(stdout.split('\n').filter((line) => line.startsWith('::error ')).length).toBe(1);
    expect(stdout.split('\n').filter((line) => line.startsWith('::warning ')).length).toBe(7);
    const sarif = JSON.parse(readFileSync(path.join(work, 'choreolint.sarif'), 'utf8')) as { version: string; runs: Array<{ results: unknown[] }> };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results.length).toBe(8);
    expect(readFileSync(summaryFile, 'utf8')).toContain('```mermaid');
  });
});
