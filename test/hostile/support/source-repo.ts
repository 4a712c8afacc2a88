import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect } from 'vitest';
import { analyze, type AnalyzeOptions } from '../../../src/analyze.js';
import type { Result } from '../../../src/model/result.js';
import { schemaErrors } from '../../helpers.js';

/** A publisher that sorts after every hostile file: its declaration shows the run went on. */
export const GOOD_PUBLISHER = `import { Kafka } from 'kafkajs';

const producer = new Kafka({ clientId: 'good', brokers: ['localhost:9092'] }).producer();

export async function publishGood(): Promise<void> {
  await producer.send({ topic: 'good.event', messages: [{ value: 'ok' }] });
}
`;
export const GOOD = 'publish good.event src/z-good.ts:6:9';
export const KAFKA_HEAD = "import { Kafka } from 'kafkajs';\nconst producer = new Kafka({ brokers: [] }).producer();\n";

/** A kafkajs repository at `dir`: package.json, the good publisher, and `files`. */
export function writeHostileRepo(dir: string, name: string, files: Record<string, string | Buffer> = {}): string {
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, dependencies: { kafkajs: '^2.2.4' } }));
  writeFileSync(path.join(dir, 'src/z-good.ts'), GOOD_PUBLISHER);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return dir;
}

/** A maker of fresh repositories in a temporary directory that is removed after the file's tests. */
export function hostileRepos(name: string): (files?: Record<string, string | Buffer>) => string {
  const temp = mkdtempSync(path.join(os.tmpdir(), `choreolint-${name}-`));
  afterAll(() => rmSync(temp, { recursive: true, force: true }));
  let repos = 0;
  return (files = {}) => writeHostileRepo(path.join(temp, `repo-${++repos}`), name, files);
}

export async function analyzeRepo(dir: string, options: Omit<AnalyzeOptions, 'dir'> = {}): Promise<Result> {
  const result = await analyze({ dir, ...options });
  expect(schemaErrors(result)).toEqual([]);
  return result;
}

export const declarations = (result: Result) => result.declarations.map((d) => `${d.kind} ${d.event} ${d.file}:${d.line}:${d.column}`);
export const diagnostics = (result: Result) => result.diagnostics.map((d) => `${d.code} ${d.file}:${d.line ?? ''}:${d.column ?? ''} ${d.message}`);
