import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { fixture } from '../helpers.js';
import { runCliProcess } from './support/cli-process.js';

/**
 * Broken configs and invocations: exit code 2, one line on stderr naming the file, line and
 * column where there is one, and no stack trace unless --debug asks for it.
 *
 * Already covered elsewhere, not repeated here: top-level unknown keys with a suggestion, values
 * of the wrong type and rule settings (test/config.test.ts); the nearest rule id for an unknown
 * one, a --config that does not exist, `check` on a directory that does not exist, an unknown
 * format, a --with file that is no result document (test/cli.test.ts); --max-warnings (test/ci/
 * baseline.test.ts); a file that is not a baseline (test/ci/baseline.test.ts).
 */
const scratch = mkdtempSync(path.join(tmpdir(), 'choreolint-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const SHOP = fixture('shop-acyclic');
const STACK_LINE = /^\s+at /m;

function aliasBomb(): string {
  const levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (const name of 'bcdefghi') {
    const previous = String.fromCharCode(name.charCodeAt(0) - 1);
    levels.push(`${name}: &${name} [${Array.from({ length: 10 }, () => `*${previous}`).join(', ')}]`);
  }
  return `${levels.join('\n')}\n`;
}

const CONFIGS: Array<{ name: string; text: string | Buffer; stderr: string }> = [
  {
    name: 'invalid-yaml.yaml',
    text: 'rules:\n  event-cycle: [warn\n',
    stderr: 'invalid-yaml.yaml:3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
  },
  { name: 'duplicate-key.yaml', text: 'rules: {}\nexternal: []\nrules: {}\n', stderr: 'duplicate-key.yaml:3:1: invalid YAML: Map keys must be unique' },
  { name: 'alias-bomb.yaml', text: aliasBomb(), stderr: 'alias-bomb.yaml:2:8: invalid YAML: Excessive alias count indicates a resource exhaustion attack' },
  {
    name: 'binary.yaml',
    text: Buffer.from(Array.from({ length: 1024 }, (_, i) => i % 256)),
    stderr: 'binary.yaml:1:1: the config must be a mapping of settings (include, exclude, excludeDefaults, services, rules, adapters, asyncapi, declare, external, maxCallDepth)',
  },
  { name: 'list.yaml', text: '- rules\n- external\n', stderr: 'list.yaml:1:1: the config must be a mapping of settings (include, exclude, excludeDefaults, services, rules, adapters, asyncapi, declare, external, maxCallDepth)' },
  { name: 'nested-key.yaml', text: 'services:\n  - name: api\n    pathz: ["src/**"]\n', stderr: 'nested-key.yaml:3:5: services.0: unknown key "pathz" (did you mean "paths"?)' },
  { name: 'asyncapi-key.yaml', text: 'asyncapi:\n  document: ["api.yaml"]\n', stderr: 'asyncapi-key.yaml:2:3: asyncapi: unknown key "document" (did you mean "documents"?)' },
  { name: 'rule-option.yaml', text: 'rules:\n  event-cycle: [error, { alow: [] }]\n', stderr: 'rule-option.yaml:2:26: rules.event-cycle: unknown option "alow" (did you mean "allow"?)' },
  { name: 'rule-option-type.yaml', text: 'rules:\n  fan-out: [warn, { max: many }]\n', stderr: 'rule-option-type.yaml:2:26: rules.fan-out: option max must be integer' },
  {
    name: 'rule-option-regex.yaml',
    text: 'rules:\n  missing-compensation: [error, { failurePatterns: ["(unclosed"] }]\n',
    stderr: 'rule-option-regex.yaml:2:53: rules.missing-compensation: option failurePatterns.0 is not a valid regular expression',
  },
  { name: 'include-type.yaml', text: 'include: "src/**"\n', stderr: 'include-type.yaml:1:10: include: must be array' },
  { name: 'adapter.yaml', text: 'adapters:\n  kafka: true\n', stderr: 'adapter.yaml:2:3: adapters: unknown adapter "kafka" (did you mean "kafkajs"?)' },
  {
    name: 'include-outside.yaml',
    text: 'include:\n  - "src/**/*.ts"\n  - "../other/**"\n',
    stderr: 'include-outside.yaml:3:5: include.1: "../other/**" reaches outside the directory of the config file; globs are relative to it and stay inside it',
  },
  {
    name: 'exclude-absolute.yaml',
    text: 'exclude: ["/etc/**"]\n',
    stderr: 'exclude-absolute.yaml:1:11: exclude.0: "/etc/**" reaches outside the directory of the config file; globs are relative to it and stay inside it',
  },
  {
    name: 'exclude-negated.yaml',
    text: 'exclude: ["!src/../../secrets/**"]\n',
    stderr: 'exclude-negated.yaml:1:11: exclude.0: "!src/../../secrets/**" reaches outside the directory of the config file; globs are relative to it and stay inside it',
  },
  {
    name: 'services-outside.yaml',
    text: 'services:\n  - name: api\n    paths: ["C:\\\\work\\\\api\\\\**"]\n',
    stderr: 'services-outside.yaml:3:13: services.0.paths.0: "C:\\work\\api\\**" reaches outside the directory of the config file; globs are relative to it and stay inside it',
  },
  {
    name: 'documents-outside.yaml',
    text: 'asyncapi:\n  documents: ["docs/../../../asyncapi.yaml"]\n',
    stderr: 'documents-outside.yaml:2:15: asyncapi.documents.0: "docs/../../../asyncapi.yaml" reaches outside the directory of the config file; globs are relative to it and stay inside it',
  },
];

describe('a broken config: exit code 2, one line with file, line and column, no stack trace', () => {
  const dir = path.join(scratch, 'configs');
  mkdirSync(dir);
  for (const config of CONFIGS) writeFileSync(path.join(dir, config.name), config.text);

  it(`each of ${CONFIGS.length} configs`, async () => {
    const runs = await Promise.all(CONFIGS.map((config) => runCliProcess(['check', SHOP, '--config', config.name], { cwd: dir })));
    expect(runs.map((run) => ({ status: run.status, stdout: run.stdout, stderr: run.stderr }))).toEqual(
      CONFIGS.map((config) => ({ status: 2, stdout: '', stderr: `choreolint: ${config.stderr}\n` })),
    );
  }, 30_000);

  it('YAML nested deeper than the parser can go: a one-line error naming the file, no stack trace', async () => {
    writeFileSync(path.join(dir, 'deep.yaml'), `external: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`);
    const run = await runCliProcess(['check', SHOP, '--config', 'deep.yaml'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^choreolint: deep\.yaml:1:\d+: invalid YAML: Maximum call stack size exceeded\n$/);
  });

  it('--debug adds the stack trace, and only --debug', async () => {
    const [plain, debug] = await Promise.all([
      runCliProcess(['check', SHOP, '--config', 'invalid-yaml.yaml'], { cwd: dir }),
      runCliProcess(['check', SHOP, '--config', 'invalid-yaml.yaml', '--debug'], { cwd: dir }),
    ]);
    expect(plain.stderr).not.toMatch(STACK_LINE);
    expect(debug.status).toBe(2);
    const [first, second, ...stack] = debug.stderr.split('\n');
    expect(first).toBe(`choreolint: ${CONFIGS[0]!.stderr}`);
    expect(second).toBe('ConfigError: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]');
    expect(stack[0]).toMatch(/^ {4}at parseConfigText \(/);
  });
});

describe('a broken invocation: exit code 2, one line, no stack trace', () => {
  const missing = path.join(scratch, 'no', 'such', 'dir');
  const cases: Array<{ args: string[]; stderr: string }> = [
    { args: ['graph', missing], stderr: `choreolint: no such directory: ${missing}\n` },
    { args: ['flow', 'orders.placed', missing], stderr: `choreolint: no such directory: ${missing}\n` },
    { args: ['asyncapi', missing, '--service', 'orders'], stderr: `choreolint: no such directory: ${missing}\n` },
    { args: ['init', missing, '--yes'], stderr: `choreolint: no such directory: ${missing}\n` },
    { args: ['graph', path.join(SHOP, 'package.json')], stderr: `choreolint: not a directory: ${path.join(SHOP, 'package.json')}\n` },
    { args: ['check', SHOP, '--config', scratch], stderr: `choreolint: ${path.relative(process.cwd(), scratch)}: cannot read config file (EISDIR)\n` },
    { args: ['check', SHOP, '--with', 'no-such-result.json'], stderr: 'choreolint: no-such-result.json: no such file\n' },
    { args: ['check', SHOP, '--baseline', 'no-such-baseline.json'], stderr: 'choreolint: no-such-baseline.json: no such baseline file\n' },
    { args: ['frobnicate'], stderr: "error: unknown command 'frobnicate'\n(run with --help for usage)\n" },
  ];

  it.each(cases)('$args.0 $args.1', async ({ args, stderr }) => {
    const run = await runCliProcess(args);
    expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toEqual({ status: 2, stdout: '', stderr });
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});

describe('globs never reach outside the root', () => {
  it('a config found above the analyzed directory applies its globs inside that directory only', async () => {
    const repo = path.join(scratch, 'repo');
    mkdirSync(path.join(repo, '.git'), { recursive: true });
    mkdirSync(path.join(repo, 'services', 'orders', 'src'), { recursive: true });
    mkdirSync(path.join(repo, 'services', 'billing', 'src'), { recursive: true });
    writeFileSync(path.join(repo, 'choreolint.yaml'), 'include: ["services/**/*.ts"]\n');
    const emitter = (event: string) => `import { EventEmitter } from 'node:events';\nconst bus = new EventEmitter();\nbus.emit('${event}');\n`;
    writeFileSync(path.join(repo, 'services', 'orders', 'src', 'orders.ts'), emitter('orders.placed'));
    writeFileSync(path.join(repo, 'services', 'billing', 'src', 'billing.ts'), emitter('billing.invoiced'));
    const result = await analyze({ dir: path.join(repo, 'services', 'orders') });
    expect(result.declarations.map((d) => `${d.file} ${d.event}`)).toEqual(['src/orders.ts orders.placed']);
    expect(result.stats.files).toBe(1);
  });
});
