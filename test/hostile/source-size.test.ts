import { describe, expect, it } from 'vitest';
import { MAX_SOURCE_BYTES } from '../../src/discover/read-source.js';
import type { Result } from '../../src/model/result.js';
import { runCli } from '../helpers.js';
import { analyzeRepo, declarations, diagnostics, GOOD, hostileRepos, KAFKA_HEAD } from './support/source-repo.js';

const repo = hostileRepos('hostile-size');

/** Generated code: `lines` exports, each with a publish when `publishing`. */
function generated(bytes: number, publishing: boolean): { text: string; lines: number } {
  const lines: string[] = [];
  let size = KAFKA_HEAD.length;
  while (size < bytes) {
    const index = lines.length;
    const line = publishing
      ? `export const send${index} = () => producer.send({ topic: 'generated.${index % 100}', messages: [{ value: '${index}' }] });\n`
      : `export const value${index} = { id: ${index}, name: 'item-${index}', tags: ['generated', 'fixture'] };\n`;
    lines.push(line);
    size += line.length;
  }
  return { text: KAFKA_HEAD + lines.join(''), lines: lines.length };
}

describe('a 10 MB generated file', () => {
  const big = generated(10 * 1024 * 1024, true).text;

  it('is over the limit, so it is skipped with a diagnostic naming it and its size, in bounded time', async () => {
    expect(Buffer.byteLength(big)).toBeGreaterThan(MAX_SOURCE_BYTES);
    const started = performance.now();
    const result = await analyzeRepo(repo({ 'src/generated.ts': big }));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(diagnostics(result)).toEqual(['read-error src/generated.ts:1:1 too large to analyze (10.0 MB; files over 5 MB are skipped)']);
    expect(declarations(result)).toEqual([GOOD]);
    expect(result.stats.filesParsed).toBe(1);
  });

  it('gives the CLI a warning, not a crash', () => {
    const run = runCli(['check', '--format', 'json'], { cwd: repo({ 'src/generated.ts': big }) });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as Result;
    expect(diagnostics(result)).toEqual(['read-error src/generated.ts:1:1 too large to analyze (10.0 MB; files over 5 MB are skipped)']);
    expect(declarations(result)).toEqual([GOOD]);
  });
});

describe('under the limit', () => {
  it('a 1 MB generated file full of publishes is analyzed: every one of them', async () => {
    const { text, lines } = generated(1024 * 1024, true);
    const result = await analyzeRepo(repo({ 'src/generated.ts': text }));
    expect(result.diagnostics).toEqual([]);
    expect(lines).toBe(10_207);
    expect(result.declarations).toHaveLength(lines + 1);
    expect(declarations(result).slice(0, 2)).toEqual(['publish generated.0 src/generated.ts:3:28', 'publish generated.1 src/generated.ts:4:28']);
    expect(declarations(result).at(-2)).toBe('publish generated.6 src/generated.ts:10209:32');
  }, 20_000);

  it('a minified 3 MB file of one line is analyzed, with the column of its emit exact', async () => {
    const filler = Array.from({ length: 41_000 }, (_, index) => `var a${index}=function(b){return b+${index}}`).join(';');
    const before = `import{EventEmitter as E}from"events";const bus=new E;${filler};`;
    const text = `${before}bus.emit("minified.placed",{id:1});${filler};\n`;
    expect(text.length).toBeGreaterThan(3 * 1024 * 1024);
    const result = await analyzeRepo(repo({ 'src/bundle.js': text }));
    expect(result.diagnostics).toEqual([]);
    expect(before.length + 1).toBe(1_576_835);
    expect(declarations(result)).toEqual(['publish minified.placed src/bundle.js:1:1576835', GOOD]);
  }, 20_000);
});
