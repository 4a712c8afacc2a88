import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BIN, ROOT } from '../../helpers.js';

export const SUPPORT = path.dirname(fileURLToPath(import.meta.url));

export interface ProcessRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Modules loaded with `node --import` before the CLI. */
  preload?: string[];
  /** More Node flags (`--max-old-space-size=256`). */
  nodeFlags?: string[];
  /** Run inside a new network namespace (no interfaces): `unshare` with these flags. */
  unshare?: string[];
}

function command(args: string[], options: CliOptions): { file: string; argv: string[] } {
  const node = [...(options.nodeFlags ?? []), ...(options.preload ?? []).flatMap((file) => ['--import', pathToFileURL(file).href]), BIN, ...args];
  return options.unshare ? { file: 'unshare', argv: [...options.unshare, process.execPath, ...node] } : { file: process.execPath, argv: node };
}

function environment(options: CliOptions): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: '1', ...options.env };
}

/** The CLI as a child process, asynchronously, so that a test can run several side by side. */
export function runCliProcess(args: string[], options: CliOptions = {}): Promise<ProcessRun> {
  const { file, argv } = command(args, options);
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { cwd: options.cwd ?? ROOT, env: environment(options) });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }));
  });
}

/** The same, synchronously (for runs that must happen in order). */
export function runCliProcessSync(args: string[], options: CliOptions = {}): ProcessRun {
  const { file, argv } = command(args, options);
  const run = spawnSync(file, argv, { cwd: options.cwd ?? ROOT, env: environment(options), encoding: 'utf8' });
  return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr };
}

/**
 * The `unshare` flags that give a process a network namespace of its own on this machine (as an
 * unprivileged user through a user namespace, or as root), or undefined where neither is allowed.
 */
export function networkNamespaceFlags(): string[] | undefined {
  for (const flags of [['-rn'], ['-n']]) {
    const probe = spawnSync('unshare', [...flags, process.execPath, '-e', ''], { encoding: 'utf8' });
    if (probe.status === 0) return flags;
  }
  return undefined;
}
