import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { Result } from '../../src/model/result.js';
import { schemaErrors } from '../helpers.js';

/**
 * AsyncAPI documents that are broken, huge, cyclic or reach out: each becomes a one-line
 * diagnostic at its file and line, the run ends in bounded time, and the other documents are
 * still read. Already covered elsewhere: a document that is valid YAML but invalid AsyncAPI, and
 * `$ref`s to ../ outside the repository (fixtures/asyncapi-refs, test/fixtures/asyncapi.test.ts);
 * the 669 KB ZBOS document of the corpus (test/asyncapi-corpus.test.ts); `$ref`s over http(s)
 * with every connection intercepted (test/hostile/guarantee-no-network.test.ts).
 */
const scratch = mkdtempSync(path.join(tmpdir(), 'choreolint-asyncapi-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

const header = (title: string) => `asyncapi: 3.0.0\ninfo:\n  title: ${title}\n  version: 1.0.0\n`;
const send = (channel: string) => `  send${channel}:\n    action: send\n    channel:\n      $ref: '#/channels/${channel}'\n`;

function aliasBomb(): string {
  const levels = ['    a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (const name of 'bcdefghi') {
    const previous = String.fromCharCode(name.charCodeAt(0) - 1);
    levels.push(`    ${name}: &${name} [${Array.from({ length: 10 }, () => `*${previous}`).join(', ')}]`);
  }
  return `${header('bomb')}  x-lols:\n${levels.join('\n')}\nchannels:\n  tick:\n    address: bomb.tick\noperations:\n${send('tick')}`;
}

const SECRET = 'TOP-SECRET-OUTSIDE-THE-REPOSITORY';

const DOCUMENTS: Record<string, string> = {
  'syntax/asyncapi.yaml': `${header('syntax')}channels:\n  a:\n    address: [unclosed\n`,
  'version/asyncapi.yaml': 'asyncapi: 9.9.9\ninfo:\n  title: future\n  version: 1.0.0\n',
  'bomb/asyncapi.yaml': aliasBomb(),
  'self/asyncapi.yaml': `${header('self')}channels:
  tree:
    address: tree.changed
    messages:
      changed:
        payload:
          $ref: '#/components/schemas/Node'
operations:
${send('tree')}components:
  schemas:
    Node:
      type: object
      properties:
        children: { type: array, items: { $ref: '#/components/schemas/Node' } }
        parent: { $ref: '#/components/schemas/Node' }
`,
  'mutual/asyncapi.yaml': `${header('mutual')}channels:\n  ping:\n    address: mutual.ping\n    messages:\n      ping:\n        $ref: './ping.yaml#/Ping'\noperations:\n${send('ping')}`,
  'mutual/ping.yaml': "Ping:\n  payload:\n    type: object\n    properties:\n      pong:\n        $ref: './pong.yaml#/Pong'\n",
  'mutual/pong.yaml': "Pong:\n  type: object\n  properties:\n    ping:\n      $ref: './ping.yaml#/Ping/payload'\n",
  'loop/asyncapi.yaml': `${header('loop')}channels:
  first:
    $ref: '#/channels/second'
  second:
    $ref: '#/channels/first'
  itself:
    $ref: '#/channels/itself'
  real:
    address: loop.real
operations:
${send('first')}${send('real')}`,
  'cross/asyncapi.yaml': `${header('cross')}channels:\n  first:\n    $ref: './other.yaml#/Second'\n  real:\n    address: cross.real\noperations:\n${send('real')}`,
  'cross/other.yaml': "Second:\n  $ref: './asyncapi.yaml#/channels/first'\n",
  'outside/asyncapi.yaml': `${header('outside')}channels:
  a:
    address: outside.a
    messages:
      viaLink:
        $ref: './linked/secret.yaml'
      absolute:
        $ref: '/etc/passwd'
      upward:
        $ref: 'docs/../../../secret.yaml'
      fileUrl:
        $ref: 'file:///etc/hostname'
operations:
${send('a')}`,
  'missing/asyncapi.yaml': `${header('missing')}channels:\n  a:\n    address: missing.a\n    messages:\n      gone:\n        $ref: './messages/gone.yaml#/Gone'\noperations:\n${send('a')}`,
};

describe('hostile AsyncAPI documents, all in one repository', async () => {
  const repo = path.join(scratch, 'documents');
  const outside = path.join(scratch, 'outside-the-repository');
  writeFiles(repo, DOCUMENTS);
  writeFiles(outside, { 'secret.yaml': `secret: ${SECRET}\n` });
  writeFileSync(path.join(scratch, 'secret.yaml'), `secret: ${SECRET}\n`);
  symlinkSync(outside, path.join(repo, 'outside', 'linked'));
  const started = performance.now();
  const result: Result = await analyze({ dir: repo });
  const seconds = (performance.now() - started) / 1000;

  it('ends, in bounded time, with a valid result', () => {
    expect(schemaErrors(result)).toEqual([]);
    expect(seconds).toBeLessThan(15);
  });

  it('reports each problem once, at its file, line and column', () => {
    expect(result.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual([
      'asyncapi-invalid bomb/asyncapi.yaml:7:12 invalid YAML: Excessive alias count indicates a resource exhaustion attack',
      'asyncapi-ref-refused cross/asyncapi.yaml:7:5 $ref to ./other.yaml#/Second refused: it leads into a loop of references that never reaches a value (cross/other.yaml#/Second → cross/asyncapi.yaml#/channels/first → cross/other.yaml#/Second)',
      'asyncapi-ref-refused loop/asyncapi.yaml:7:5 $ref to #/channels/second refused: it leads into a loop of references that never reaches a value (loop/asyncapi.yaml#/channels/second → loop/asyncapi.yaml#/channels/first → loop/asyncapi.yaml#/channels/second)',
      'asyncapi-ref-refused loop/asyncapi.yaml:9:5 $ref to #/channels/first refused: it leads into a loop of references that never reaches a value (loop/asyncapi.yaml#/channels/first → loop/asyncapi.yaml#/channels/second → loop/asyncapi.yaml#/channels/first)',
      'asyncapi-ref-refused loop/asyncapi.yaml:11:5 $ref to #/channels/itself refused: it leads into a loop of references that never reaches a value (loop/asyncapi.yaml#/channels/itself → loop/asyncapi.yaml#/channels/itself)',
      'asyncapi-ref-refused loop/asyncapi.yaml:18:7 $ref to #/channels/first refused: it leads into a loop of references that never reaches a value (loop/asyncapi.yaml#/channels/first → loop/asyncapi.yaml#/channels/second → loop/asyncapi.yaml#/channels/first)',
      'asyncapi-ref-refused missing/asyncapi.yaml:10:9 $ref to ./messages/gone.yaml#/Gone refused: no such file in the analyzed directory',
      'asyncapi-ref-refused outside/asyncapi.yaml:10:9 $ref to ./linked/secret.yaml refused: it leaves the analyzed directory',
      'asyncapi-ref-refused outside/asyncapi.yaml:12:9 $ref to /etc/passwd refused: it leaves the analyzed directory',
      'asyncapi-ref-refused outside/asyncapi.yaml:14:9 $ref to docs/../../../secret.yaml refused: it leaves the analyzed directory',
      'asyncapi-ref-refused outside/asyncapi.yaml:16:9 $ref to file:///etc/hostname refused: it leaves the analyzed directory',
      'asyncapi-invalid syntax/asyncapi.yaml:8:1 invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      'asyncapi-invalid version/asyncapi.yaml:1:1 invalid AsyncAPI document: Unsupported AsyncAPI version: 9.9.9',
    ]);
  });

  it('still reads every document that can be read: self-referencing schemas and files that reference each other included', () => {
    expect(result.declarations.map((d) => `${d.service} ${d.kind} ${d.event}${d.dynamic ? ` (dynamic: ${d.expression})` : ''}`)).toEqual([
      'cross publish cross.real',
      'loop publish * (dynamic: address: null (channel without an id))',
      'loop publish loop.real',
      'missing publish missing.a',
      'mutual publish mutual.ping',
      'outside publish outside.a',
      'self publish tree.changed',
    ]);
  });

  it('never reads what lies outside the repository', () => {
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });
});

describe('YAML nested deeper than the parser goes', () => {
  it('is one diagnostic at the document, and the run goes on', async () => {
    const repo = path.join(scratch, 'deep');
    writeFiles(repo, {
      'deep/asyncapi.yaml': `${header('deep')}  x-deep: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`,
      'fine/asyncapi.yaml': `${header('fine')}channels:\n  a:\n    address: fine.a\noperations:\n${send('a')}`,
    });
    const result = await analyze({ dir: repo });
    expect(result.diagnostics.map((d) => `${d.code} ${d.file}:${d.line} ${d.message}`)).toEqual(['asyncapi-invalid deep/asyncapi.yaml:5 invalid YAML: Maximum call stack size exceeded']);
    expect(result.declarations.map((d) => `${d.service} ${d.kind} ${d.event}`)).toEqual(['fine publish fine.a']);
  });
});

describe('a 600 KB document', () => {
  it('is read whole, in bounded time', async () => {
    const channels = 1_600;
    const lines = [header('big').trimEnd(), 'channels:'];
    for (let i = 0; i < channels; i++) {
      const n = String(i).padStart(4, '0');
      lines.push(
        `  channel${n}:`,
        `    address: big.event.${n}`,
        '    messages:',
        `      message${n}:`,
        '        payload:',
        '          type: object',
        '          properties:',
        '            id: { type: string, format: uuid }',
        '            amount: { type: number, minimum: 0 }',
        `            note: { type: string, description: "free text of event ${n}, for the auditors" }`,
      );
    }
    lines.push('operations:');
    for (let i = 0; i < channels; i++) {
      const n = String(i).padStart(4, '0');
      lines.push(`  operation${n}:`, `    action: ${i % 2 === 0 ? 'receive' : 'send'}`, '    channel:', `      $ref: '#/channels/channel${n}'`);
    }
    const text = `${lines.join('\n')}\n`;
    expect(text.length).toBeGreaterThan(600_000);
    const repo = path.join(scratch, 'big');
    writeFiles(repo, { 'asyncapi.yaml': text });
    const started = performance.now();
    const result = await analyze({ dir: repo });
    const seconds = (performance.now() - started) / 1000;
    expect(result.diagnostics).toEqual([]);
    expect(result.declarations).toHaveLength(channels);
    expect(result.declarations.filter((d) => d.kind === 'publish')).toHaveLength(channels / 2);
    expect(result.declarations.at(-1)).toMatchObject({ event: 'big.event.1599', file: 'asyncapi.yaml', line: 16_000 + 3 * 2 + 1 + 4 * 1_599 + 1 });
    expect(seconds).toBeLessThan(15);
  }, 30_000);
});
