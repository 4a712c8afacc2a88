import type * as nodeFs from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { analyzeRepo, declarations, diagnostics, GOOD, hostileRepos, KAFKA_HEAD } from './support/source-repo.js';

// Reads fail on cue, as when a file is deleted or its permissions change while the run goes on
// (chmod 000 alone cannot show it: these tests run as root, who reads any file).
const failures = new Map<string, { code: string; after: number }>();
const opened = new Map<string, number>();

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof nodeFs>();
  const openSync = ((file: string, ...rest: unknown[]) => {
    const key = [...failures.keys()].find((suffix) => String(file).endsWith(suffix));
    if (key) {
      const count = (opened.get(key) ?? 0) + 1;
      opened.set(key, count);
      const failure = failures.get(key)!;
      if (count > failure.after) throw Object.assign(new Error(`${failure.code}: simulated, open '${file}'`), { code: failure.code });
    }
    return (fs.openSync as (...args: unknown[]) => number)(file, ...rest);
  }) as typeof fs.openSync;
  return { ...fs, openSync, default: { ...fs, openSync } };
});

const repo = hostileRepos('hostile-vanished');
beforeEach(() => {
  failures.clear();
  opened.clear();
});

const publisher = (topic: string) =>
  `${KAFKA_HEAD}export async function a() {\n  await producer.send({ topic: '${topic}', messages: [] });\n}\n`;

describe('files that vanish or become unreadable during the run', () => {
  it('deleted between discovery and reading: a one-line diagnostic, the rest analyzed', async () => {
    failures.set('src/vanishing.ts', { code: 'ENOENT', after: 0 });
    const result = await analyzeRepo(repo({ 'src/vanishing.ts': publisher('vanishing.event') }));
    expect(diagnostics(result)).toEqual(['read-error src/vanishing.ts:1:1 file vanished during the run']);
    expect(declarations(result)).toEqual([GOOD]);
    expect(opened.get('src/vanishing.ts')).toBe(1);
  });

  it('unreadable (EACCES): a one-line diagnostic with the error code, the rest analyzed', async () => {
    failures.set('src/locked.ts', { code: 'EACCES', after: 0 });
    const result = await analyzeRepo(repo({ 'src/locked.ts': publisher('locked.event') }));
    expect(diagnostics(result)).toEqual(['read-error src/locked.ts:1:1 cannot read file (EACCES)']);
    expect(declarations(result)).toEqual([GOOD]);
  });

  it('deleted after its one read, before link asks for it: link uses the text already read, and the name resolves', async () => {
    failures.set('src/topics.ts', { code: 'ENOENT', after: 1 });
    const result = await analyzeRepo(
      repo({
        'src/topics.ts': "export const Topics = { ORDER_PLACED: 'orders.placed' } as const;\n",
        'src/orders.ts': `${KAFKA_HEAD}import { Topics } from './topics';
export async function place() {
  await producer.send({ topic: Topics.ORDER_PLACED, messages: [] });
}
`,
      }),
    );
    expect(opened.get('src/topics.ts')).toBe(1);
    expect(result.diagnostics).toEqual([]);
    expect(declarations(result)).toEqual(['publish orders.placed src/orders.ts:5:9', GOOD]);
  });
});
