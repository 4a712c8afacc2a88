import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { RunMetrics } from '../../src/analyze.js';
import { stagedContents } from '../../src/discover/git.js';
import type { Result } from '../../src/model/result.js';
import { runCli } from '../helpers.js';
import { analyzeRepo, declarations, diagnostics, GOOD, hostileRepos, KAFKA_HEAD } from './support/source-repo.js';

// Every repository holds one well-formed publisher beside the hostile file, sorted after it, so
// each test also shows that the run went on past the hostile file.
const repo = hostileRepos('hostile-sources');

/** The CLI on the repository: the exit code of a run whose only findings are warnings, no stack trace. */
function checkWithCli(dir: string): Result {
  const run = runCli(['check', '--format', 'json'], { cwd: dir });
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as Result;
}

describe('syntax errors', () => {
  const broken = `${KAFKA_HEAD}export async function before() {
  await producer.send({ topic: 'before.error', messages: [] });
}
export function broken( {
  const x = ;
}
export async function after() {
  await producer.send({ topic: 'after.error', messages: [] });
}
`;

  it('reports the first error with its file, line and column, and keeps what the parser recovered', async () => {
    const result = await analyzeRepo(repo({ 'src/broken.ts': broken }));
    expect(diagnostics(result)).toEqual(["parse-error src/broken.ts:7:9 syntax error: ':' expected. (and 3 more)"]);
    expect(declarations(result)).toEqual(['publish before.error src/broken.ts:4:9', 'publish after.error src/broken.ts:10:9', GOOD]);
  });

  it('gives the CLI a warning, not a crash', () => {
    const result = checkWithCli(repo({ 'src/broken.ts': broken }));
    expect(diagnostics(result)).toEqual(["parse-error src/broken.ts:7:9 syntax error: ':' expected. (and 3 more)"]);
    expect(declarations(result)).toContain(GOOD);
  });

  it('an unterminated string ends at its line (where TypeScript reports it): what follows is still read', async () => {
    const text = `${KAFKA_HEAD}export async function a() {
  const label = 'never closed;
  await producer.send({ topic: 'after.string', messages: [] });
}
`;
    const result = await analyzeRepo(repo({ 'src/string.ts': text }));
    expect(diagnostics(result)).toEqual(['parse-error src/string.ts:4:31 syntax error: Unterminated string literal.']);
    expect(declarations(result)).toEqual(['publish after.string src/string.ts:5:9', GOOD]);
  });

  it('an unterminated template literal swallows the rest of the file: only what comes before it is read', async () => {
    const text = `${KAFKA_HEAD}export async function a() {
  await producer.send({ topic: 'before.template', messages: [] });
  const label = \`never closed \${a}
  await producer.send({ topic: 'inside.template', messages: [] });
}
`;
    const result = await analyzeRepo(repo({ 'src/template.ts': text }));
    expect(diagnostics(result)).toEqual(['parse-error src/template.ts:8:1 syntax error: Unterminated template literal.']);
    expect(declarations(result)).toEqual(['publish before.template src/template.ts:4:9', GOOD]);
  });
});

describe('encodings', () => {
  const latin1 = Buffer.concat([
    Buffer.from(`${KAFKA_HEAD}export async function a() {\n  await producer.send({ topic: 'caf`),
    Buffer.from([0xe9]),
    Buffer.from(".ordered', messages: [] });\n  /* d"),
    Buffer.from([0xe9]),
    Buffer.from('j'),
    Buffer.from([0xe0]),
    Buffer.from(" vu */ await producer.send({ topic: 'latin.after', messages: [] });\n}\n"),
  ]);

  it('bytes that are not UTF-8 are read as U+FFFD, named by file, line and column, and columns stay right', async () => {
    const result = await analyzeRepo(repo({ 'src/latin1.ts': latin1 }));
    expect(diagnostics(result)).toEqual(['invalid-encoding src/latin1.ts:4:36 not valid UTF-8 (byte 0xE9); bytes that are not UTF-8 are read as U+FFFD']);
    expect(declarations(result)).toEqual(['publish caf\uFFFD.ordered src/latin1.ts:4:9', 'publish latin.after src/latin1.ts:5:23', GOOD]);
  });

  const firstLine =
    "import { Kafka } from 'kafkajs'; const producer = new Kafka({ brokers: [] }).producer(); producer.send({ topic: 'bom.first-line', messages: [] });\n" +
    "export const again = () => producer.send({ topic: 'bom.second-line', messages: [] });\n";
  const firstLineDeclarations = ['publish bom.first-line src/bom.ts:1:90', 'publish bom.second-line src/bom.ts:2:28', GOOD];

  it('a UTF-8 byte order mark does not shift line 1 columns', async () => {
    const result = await analyzeRepo(repo({ 'src/bom.ts': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(firstLine)]) }));
    expect(result.diagnostics).toEqual([]);
    expect(declarations(result)).toEqual(firstLineDeclarations);
  });

  it('nor does it in the staged content that --staged analyzes', () => {
    const dir = repo({ 'src/bom.ts': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(firstLine)]) });
    const git = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    expect(stagedContents(dir).get('src/bom.ts')).toEqual({ text: firstLine });
    const run = runCli(['check', '--staged', '--format', 'json'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(declarations(JSON.parse(run.stdout) as Result)).toEqual(firstLineDeclarations);
  });

  it('staged content gets the diagnostics of files on disk: invalid encoding, binary', async () => {
    const files = { 'src/latin1.ts': latin1, 'src/image.ts': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]) };
    const fromDisk = diagnostics(await analyzeRepo(repo(files)));
    expect(fromDisk).toEqual([
      'read-error src/image.ts:1:1 binary file, not source text',
      'invalid-encoding src/latin1.ts:4:36 not valid UTF-8 (byte 0xE9); bytes that are not UTF-8 are read as U+FFFD',
    ]);
    const dir = repo(files);
    const git = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    const run = runCli(['check', '--staged', '--format', 'json'], { cwd: dir });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as Result;
    expect(diagnostics(result)).toEqual(fromDisk);
  });

  it('UTF-16 with a byte order mark (little or big endian) is decoded, not taken for binary', async () => {
    const little = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(firstLine, 'utf16le')]);
    const big = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(firstLine, 'utf16le').swap16()]);
    const result = await analyzeRepo(repo({ 'src/bom.ts': little, 'src/big/bom.ts': big }));
    expect(result.diagnostics).toEqual([]);
    expect(declarations(result)).toEqual([
      'publish bom.first-line src/big/bom.ts:1:90',
      'publish bom.second-line src/big/bom.ts:2:28',
      ...firstLineDeclarations,
    ]);
  });
});

describe('binary files with a source name', () => {
  // Deterministic noise with NUL bytes, with the prefilter's token in it: it must not be parsed.
  const noise = Buffer.alloc(4096);
  let seed = 7;
  for (let index = 0; index < noise.length; index++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    noise[index] = seed % 7 === 0 ? 0 : seed % 256;
  }
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]),
    Buffer.from("producer.send({ topic: 'png.event', messages: [] })"),
  ]);
  const files = { 'src/logo.ts': png, 'src/noise.ts': Buffer.concat([noise, Buffer.from("producer.send({ topic: 'noise', messages: [] })")]) };

  it('are skipped with a one-line diagnostic each, never parsed', async () => {
    const metrics: RunMetrics = { filesRead: 0, filesParsed: 0, cacheHits: 0 };
    const result = await analyzeRepo(repo(files), { metrics });
    expect(diagnostics(result)).toEqual([
      'read-error src/logo.ts:1:1 binary file, not source text',
      'read-error src/noise.ts:1:1 binary file, not source text',
    ]);
    expect(declarations(result)).toEqual([GOOD]);
    expect(metrics.filesParsed).toBe(1);
    expect(result.stats.filesParsed).toBe(1);
  });

  it('a binary YAML document is skipped the same way, and not subtracted from the files parsed', async () => {
    const result = await analyzeRepo(repo({ 'docs/asyncapi.yaml': png }));
    expect(diagnostics(result)).toEqual(['read-error docs/asyncapi.yaml:1:1 binary file, not source text']);
    expect(declarations(result)).toEqual([GOOD]);
    expect(result.stats.filesParsed).toBe(1);
  });

  it('give the CLI warnings, not a crash', () => {
    const result = checkWithCli(repo(files));
    expect(diagnostics(result)).toEqual([
      'read-error src/logo.ts:1:1 binary file, not source text',
      'read-error src/noise.ts:1:1 binary file, not source text',
    ]);
    expect(declarations(result)).toEqual([GOOD]);
  });
});

describe('empty files', () => {
  it('are neither a diagnostic nor a crash', async () => {
    const result = await analyzeRepo(repo({ 'src/empty.ts': '', 'src/blank.ts': '\n\n   \n', 'src/only-bom.ts': Buffer.from([0xef, 0xbb, 0xbf]) }));
    expect(result.diagnostics).toEqual([]);
    expect(declarations(result)).toEqual([GOOD]);
    expect(result.stats.files).toBe(4);
  });
});

describe('JSX, TSX and the module flavours of TypeScript', () => {
  const button = (topic: string, typed: boolean) => `${KAFKA_HEAD}export function CheckoutButton() {
  const label${typed ? ': string' : ''} = 'Buy';
  return <button onClick={() => producer.send({ topic: '${topic}', messages: [] })}>{label}</button>;
}
`;
  const publisher = (topic: string) => `${KAFKA_HEAD}export async function a() {\n  await producer.send({ topic: '${topic}', messages: [] });\n}\n`;

  it('extracts a publish inside an onClick handler in .tsx, .jsx and JSX written in .js', async () => {
    const result = await analyzeRepo(repo({ 'src/view.tsx': button('tsx.clicked', true), 'src/view.jsx': button('jsx.clicked', false), 'src/legacy.js': button('js.clicked', false) }));
    expect(result.diagnostics).toEqual([]);
    expect(declarations(result)).toEqual(['publish js.clicked src/legacy.js:5:33', 'publish jsx.clicked src/view.jsx:5:33', 'publish tsx.clicked src/view.tsx:5:33', GOOD]);
  });

  it('analyzes .mts and .cts like .ts', async () => {
    const result = await analyzeRepo(repo({ 'src/esm.mts': publisher('mts.event'), 'src/cjs.cts': publisher('cts.event') }));
    expect(result.diagnostics).toEqual([]);
    expect(declarations(result)).toEqual(['publish cts.event src/cjs.cts:4:9', 'publish mts.event src/esm.mts:4:9', GOOD]);
  });

  const ambient = `import type { Producer } from 'kafkajs';
/** Call as bus.emit('dts.comment') or producer.send({ topic: 'dts.comment', messages: [] }). */
export declare function publish(topic: 'dts.publish'): Promise<void>;
export interface Bus {
  emit(event: 'dts.emit'): boolean;
  send(record: { topic: 'dts.send'; messages: [] }): Promise<void>;
}
export declare const producer: Producer;
export declare class Emitter {
  emit(event: 'dts.class'): boolean;
  on(event: 'dts.on', listener: () => void): this;
}
export declare namespace Topics {
  function send(record: { topic: 'dts.namespace'; messages: [] }): void;
}
export type Sender = typeof producer.send;
`;

  it('.d.ts files are not analyzed by default', async () => {
    const result = await analyzeRepo(repo({ 'src/types.d.ts': ambient, 'src/types.d.mts': ambient, 'src/types.d.cts': ambient }));
    expect(result.stats.files).toBe(1);
    expect(declarations(result)).toEqual([GOOD]);
  });

  it('and when included, their declarations are not calls: no publish or subscribe', async () => {
    const metrics: RunMetrics = { filesRead: 0, filesParsed: 0, cacheHits: 0 };
    const result = await analyzeRepo(repo({ 'src/types.d.ts': ambient, 'src/types.d.mts': ambient, 'src/types.d.cts': ambient }), {
      config: { excludeDefaults: false },
      metrics,
    });
    expect(metrics.filesParsed).toBe(4);
    expect(result.diagnostics).toEqual([]);
    expect(declarations(result)).toEqual([GOOD]);
  });
});

describe('deep nesting', () => {
  const LEVELS = 5000;
  const send = (topic: string) => `producer.send({ topic: '${topic}', messages: [] })`;
  const parentheses = `${KAFKA_HEAD}export const f = () => ${'('.repeat(LEVELS)}${send('deep.parentheses')}${')'.repeat(LEVELS)};\n`;
  const blocks = `${KAFKA_HEAD}export function f(x: number) {\n${'if (x) {\n'.repeat(LEVELS)}${send('deep.blocks')};\n${'}\n'.repeat(LEVELS)}}\n`;
  const arrows = `${KAFKA_HEAD}export const f = ${'() => '.repeat(LEVELS)}${send('deep.arrows')};\n`;

  it('5,000 levels of parentheses, blocks or arrow functions: a diagnostic naming the deepest brackets, no stack overflow', async () => {
    const result = await analyzeRepo(repo({ 'src/deep-parentheses.ts': parentheses, 'src/deep-blocks.ts': blocks, 'src/deep-arrows.ts': arrows }));
    expect(diagnostics(result)).toEqual([
      'parse-error src/deep-arrows.ts:1:1 too deeply nested to analyze',
      'parse-error src/deep-blocks.ts:5004:49 too deeply nested to analyze (brackets nest 5004 deep)',
      'parse-error src/deep-parentheses.ts:3:5077 too deeply nested to analyze (brackets nest 5003 deep)',
    ]);
    expect(declarations(result)).toEqual([GOOD]);
  });

  it('gives the CLI a warning, not a crash', () => {
    const result = checkWithCli(repo({ 'src/deep-parentheses.ts': parentheses }));
    expect(diagnostics(result)).toEqual(['parse-error src/deep-parentheses.ts:3:5077 too deeply nested to analyze (brackets nest 5003 deep)']);
    expect(declarations(result)).toEqual([GOOD]);
  });

  it('100 levels of named functions and blocks are analyzed', async () => {
    const depth = 100;
    const opening = Array.from({ length: depth }, (_, level) => `const level${level} = () => {\nif (level${level}) {\n`).join('');
    const text = `${KAFKA_HEAD}export function outer() {\n${opening}${send('nested.hundred')};\n${'}\n};\n'.repeat(depth)}}\n`;
    const result = await analyzeRepo(repo({ 'src/nested.ts': text }));
    expect(result.diagnostics).toEqual([]);
    expect(declarations(result)).toEqual([`publish nested.hundred src/nested.ts:${4 + 2 * depth}:1`, GOOD]);
    expect(result.declarations[0]!.function).toBe(`src/nested.ts#outer/${Array.from({ length: depth }, (_, level) => `level${level}`).join('/')}`);
  });

  it('a call chain 3,000 calls long is analyzed in bounded time', async () => {
    const text = `${KAFKA_HEAD}export const f = () => ${send('chain.head')}${'.then(() => undefined)'.repeat(3000)};\n`;
    const started = performance.now();
    const result = await analyzeRepo(repo({ 'src/chain.ts': text }));
    expect(performance.now() - started).toBeLessThan(8000);
    expect(result.diagnostics).toEqual([]);
    expect(declarations(result)).toEqual(['publish chain.head src/chain.ts:3:24', GOOD]);
  });

  it('a function of 20,000 statements is analyzed in linear time', async () => {
    const statements = Array.from({ length: 20_000 }, (_, index) => `  const payload${index} = { id: ${index} };\n  ${send(`bulk.${index % 10}`)};`).join('\n');
    const started = performance.now();
    const result = await analyzeRepo(repo({ 'src/bulk.ts': `${KAFKA_HEAD}export function publishAll() {\n${statements}\n}\n` }));
    expect(performance.now() - started).toBeLessThan(8000);
    expect(result.diagnostics).toEqual([]);
    expect(result.declarations).toHaveLength(20_001);
    expect(declarations(result).slice(0, 2)).toEqual(['publish bulk.0 src/bulk.ts:5:3', 'publish bulk.1 src/bulk.ts:7:3']);
    expect(declarations(result).at(-2)).toBe('publish bulk.9 src/bulk.ts:40003:3');
  }, 20_000);
});

describe('found by the fuzzer, in the files this suite owns', () => {
  it('a call written with a space before its parenthesis passes the text prefilter', async () => {
    const text = `${KAFKA_HEAD}export async function a() {\n  await producer.send ({ topic: 'spaced.call', messages: [] });\n}\n`;
    const result = await analyzeRepo(repo({ 'src/spaced.ts': text }));
    expect(declarations(result)).toEqual(['publish spaced.call src/spaced.ts:4:9', GOOD]);
  });

  it('lines are counted at "\\n" only: a U+2028 or a lone "\\r" inside a string does not move what follows', async () => {
    const text = `${KAFKA_HEAD}const SEPARATORS = 'a\u2028b\u2029c\rd';\nexport async function a() {\n  await producer.send({ topic: 'after.separators', messages: [] });\n}\n`;
    const result = await analyzeRepo(repo({ 'src/separators.ts': text }));
    expect(declarations(result)).toEqual(['publish after.separators src/separators.ts:5:9', GOOD]);
  });

  it('a tsconfig that extends a missing file is named, at the line of its extends', async () => {
    const result = await analyzeRepo(repo({ 'tsconfig.json': '{\n  "compilerOptions": {},\n  "extends": "./tsconfig.base.json"\n}\n' }));
    expect(diagnostics(result)).toEqual(['manifest-error tsconfig.json:3: extends "./tsconfig.base.json", which does not exist']);
  });
});
