import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type * as Sarif from 'sarif';
import { describe, expect, it } from 'vitest';
import { withPathPrefix } from '../../src/check/relocate.js';
import { workTreePrefix } from '../../src/discover/git.js';
import { FINGERPRINT_KEY, messageText, pascalCase, REPOSITORIES, renderSarif, sarifLog, SRCROOT, uriOf } from '../../src/report/sarif.js';
import { analyzeFixture, fixture, ROOT } from '../helpers.js';
import { cleanResult, expectGolden, expectSameExitCodes, handMadeResult, limitedResult, reversed } from './support.js';

/*
 * The whole SARIF 2.1.0 JSON schema, as Microsoft's SARIF SDK ships it (rewritten for JSON Schema
 * 2020-12; no npm package ships the OASIS file itself). The package does not export the file, so
 * it is found beside the package's entry point.
 */
const sarifSdkSchemaPath = join(dirname(createRequire(import.meta.url).resolve('@microsoft/sarif-multitool-ts')), '..', 'assets', 'sarif-2.1.0.schema.json');
const ajv2020 = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ajv2020);
const validateAgainstSarifSchema = ajv2020.compile(JSON.parse(readFileSync(sarifSdkSchemaPath, 'utf8')) as object);
const sarifSchemaErrors = (log: unknown): string[] =>
  validateAgainstSarifSchema(log) ? [] : (validateAgainstSarifSchema.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);

/*
 * The official schema leaves most objects open, so the log is also checked against this schema: the SARIF 2.1.0 objects the format writes, with
 * their property names, types, enums and constraints as the specification and @types/sarif state
 * them, and `additionalProperties: false` everywhere, which makes it stricter than the official
 * schema for those objects (an unknown or misspelt property fails).
 */
const message = {
  type: 'object',
  additionalProperties: false,
  required: ['text'],
  properties: { text: { type: 'string', minLength: 1 } },
};
const artifactLocation = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // A relative reference: no scheme, no leading slash, nothing a URI cannot hold unencoded.
    uri: { type: 'string', format: 'uri-reference', pattern: "^(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!/)[A-Za-z0-9\\-._~%!$&'()*+,;=:@/]+$" },
    uriBaseId: { type: 'string', minLength: 1 },
    description: message,
  },
};
const physicalLocation = {
  type: 'object',
  additionalProperties: false,
  required: ['artifactLocation'],
  properties: {
    artifactLocation: { ...artifactLocation, required: ['uri', 'uriBaseId'] },
    region: {
      type: 'object',
      additionalProperties: false,
      required: ['startLine'],
      properties: { startLine: { type: 'integer', minimum: 1 }, startColumn: { type: 'integer', minimum: 1 } },
    },
  },
};
const location = {
  type: 'object',
  additionalProperties: false,
  required: ['physicalLocation'],
  properties: { id: { type: 'integer', minimum: -1 }, physicalLocation, message },
};
const level = { enum: ['none', 'note', 'warning', 'error'] };
const SARIF_SUBSET = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  required: ['$schema', 'version', 'runs'],
  properties: {
    $schema: { const: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json' },
    version: { const: '2.1.0' },
    runs: {
      type: 'array',
      minItems: 1,
      maxItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['tool', 'invocations', 'originalUriBaseIds', 'columnKind', 'results'],
        properties: {
          tool: {
            type: 'object',
            additionalProperties: false,
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                additionalProperties: false,
                required: ['name', 'version', 'informationUri', 'rules'],
                properties: {
                  name: { const: 'choreolint' },
                  version: { type: 'string', minLength: 1 },
                  semanticVersion: { type: 'string', minLength: 1 },
                  informationUri: { type: 'string', format: 'uri' },
                  rules: {
                    type: 'array',
                    uniqueItems: true,
                    items: {
                      type: 'object',
                      additionalProperties: false,
                      required: ['id', 'name', 'shortDescription', 'helpUri', 'help', 'defaultConfiguration'],
                      properties: {
                        id: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
                        name: { type: 'string', pattern: '^[A-Z][A-Za-z0-9]*$' },
                        shortDescription: message,
                        helpUri: { type: 'string', format: 'uri' },
                        help: {
                          type: 'object',
                          additionalProperties: false,
                          required: ['text'],
                          properties: { text: { type: 'string' }, markdown: { type: 'string' } },
                        },
                        defaultConfiguration: {
                          type: 'object',
                          additionalProperties: false,
                          required: ['level'],
                          properties: { level },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
          invocations: {
            type: 'array',
            minItems: 1,
            maxItems: 1,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['executionSuccessful'],
              properties: {
                executionSuccessful: { type: 'boolean' },
                toolExecutionNotifications: {
                  type: 'array',
                  uniqueItems: true,
                  items: {
                    type: 'object',
                    additionalProperties: false,
                    required: ['message', 'level'],
                    properties: {
                      level,
                      message,
                      descriptor: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string', minLength: 1 } } },
                      locations: { type: 'array', uniqueItems: true, items: location },
                    },
                  },
                },
              },
            },
          },
          originalUriBaseIds: {
            type: 'object',
            // The bases' absolute locations differ from machine to machine: only descriptions.
            additionalProperties: { type: 'object', additionalProperties: false, required: ['description'], properties: { description: message } },
          },
          columnKind: { enum: ['utf16CodeUnits', 'unicodeCodePoints'] },
          results: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['ruleId', 'ruleIndex', 'level', 'message', 'locations', 'partialFingerprints'],
              properties: {
                ruleId: { type: 'string', minLength: 1 },
                ruleIndex: { type: 'integer', minimum: -1 },
                level,
                message,
                locations: { type: 'array', minItems: 1, maxItems: 1, items: location },
                relatedLocations: { type: 'array', minItems: 1, uniqueItems: true, items: { ...location, required: ['id', 'physicalLocation', 'message'] } },
                partialFingerprints: {
                  type: 'object',
                  additionalProperties: false,
                  required: [FINGERPRINT_KEY],
                  properties: { [FINGERPRINT_KEY]: { type: 'string', pattern: '^[0-9a-f]{16}$' } },
                },
              },
            },
          },
        },
      },
    },
  },
};

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(SARIF_SUBSET);

/** Every way the log can be wrong that a schema cannot express, plus the schema's own errors. */
function sarifProblems(log: Sarif.Log): string[] {
  if (!validate(log)) return (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
  const problems: string[] = [];
  const run = log.runs[0]!;
  const rules = run.tool.driver.rules ?? [];
  const bases = new Set(Object.keys(run.originalUriBaseIds ?? {}));
  if (new Set(rules.map((rule) => rule.id)).size !== rules.length) problems.push('duplicate rule ids');
  const checkLocation = (where: string, physical: Sarif.PhysicalLocation | undefined) => {
    const base = physical?.artifactLocation?.uriBaseId;
    if (!base || !bases.has(base)) problems.push(`${where}: uriBaseId ${base} is not in originalUriBaseIds`);
  };
  run.results!.forEach((result, index) => {
    const rule = rules[result.ruleIndex!];
    if (rule?.id !== result.ruleId) problems.push(`results/${index}: ruleIndex ${result.ruleIndex} is not rule ${result.ruleId}`);
    checkLocation(`results/${index}`, result.locations![0]!.physicalLocation);
    const ids = (result.relatedLocations ?? []).map((related) => related.id);
    if (new Set(ids).size !== ids.length) problems.push(`results/${index}: related location ids repeat`);
    (result.relatedLocations ?? []).forEach((related, relatedIndex) => checkLocation(`results/${index}/relatedLocations/${relatedIndex}`, related.physicalLocation));
  });
  for (const notification of run.invocations![0]!.toolExecutionNotifications ?? []) {
    for (const notificationLocation of notification.locations ?? []) checkLocation('notification', notificationLocation.physicalLocation);
  }
  return problems;
}

describe('sarif format', async () => {
  const shop = await analyzeFixture('shop');
  const syntaxError = await analyzeFixture('syntax-error');

  it('renders the shop example (golden)', () => {
    expectGolden('shop.expected.sarif.json', renderSarif(shop));
  });

  it('puts diagnostics in the invocation as tool execution notifications (golden)', () => {
    const output = renderSarif(syntaxError);
    expectGolden('syntax-error.expected.sarif.json', output);
    expect(JSON.parse(output).runs[0].invocations[0].toolExecutionNotifications).toEqual([
      {
        level: 'warning',
        message: { text: "syntax error: ',' expected." },
        descriptor: { id: 'parse-error' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'src/reminders.ts', uriBaseId: SRCROOT }, region: { startLine: 8, startColumn: 103 } } }],
      },
    ]);
  });

  it('is a valid SARIF 2.1.0 log for the shop example, the syntax error, a hand-made document and a clean run', () => {
    for (const result of [shop, syntaxError, handMadeResult(), cleanResult()]) {
      const log = JSON.parse(renderSarif(result)) as Sarif.Log;
      expect(sarifProblems(log)).toEqual([]);
      expect(sarifSchemaErrors(log)).toEqual([]);
      // The typed builder and the printed text say the same.
      expect(log).toEqual(sarifLog(result));
    }
  });

  it('the checks above catch what the SARIF schema forbids', () => {
    const log = JSON.parse(renderSarif(shop)) as Sarif.Log;
    const broken = structuredClone(log) as unknown as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    broken.runs[0]!.results[0]!.level = 'warn';
    broken.runs[0]!.results[1]!.severity = 'error';
    expect(sarifProblems(broken as unknown as Sarif.Log)).toEqual([
      '/runs/0/results/0/level must be equal to one of the allowed values',
      '/runs/0/results/1 must NOT have additional properties',
    ]);
    expect(sarifSchemaErrors(broken)).toContain('/runs/0/results/0/level must be equal to one of the allowed values');
    const unversioned = { ...structuredClone(log), version: '2.0.0' };
    expect(sarifSchemaErrors(unversioned)).toContain('/version must be equal to one of the allowed values');
    const misindexed = structuredClone(log);
    misindexed.runs[0]!.results![0]!.ruleIndex = 0;
    expect(sarifProblems(misindexed)).toEqual(['results/0: ruleIndex 0 is not rule non-idempotent-handler']);
  });

  it('describes every rule that ran (with its description and configured level), and one result per finding with its rule, level, location, related locations and fingerprint', () => {
    const log = sarifLog(shop);
    const run = log.runs[0]!;
    expect(run.tool.driver).toMatchObject({ name: 'choreolint', version: shop.tool.version, informationUri: 'https://github.com/choreolint/choreolint/blob/main/README.md' });
    expect(run.tool.driver.rules!.map((rule) => [rule.id, rule.defaultConfiguration!.level])).toEqual([
      ['dangling-subscription', 'warning'],
      ['event-cycle', 'error'],
      ['fan-out', 'warning'],
      ['invalid-suppression', 'warning'],
      ['linear-chain', 'warning'],
      ['missing-compensation', 'error'],
      ['non-idempotent-handler', 'warning'],
      ['orphan-event', 'warning'],
      ['service-cycle', 'warning'],
      ['spec-drift', 'warning'],
      ['unresolved-event-name', 'warning'],
    ]);
    const docs = 'https://github.com/choreolint/choreolint/blob/main/docs/rules/event-cycle.md';
    expect(run.tool.driver.rules![1]).toEqual({
      id: 'event-cycle',
      name: pascalCase('event-cycle'),
      shortDescription: { text: 'Events that cause themselves again through the handlers they trigger: a cycle in the event-flow graph.' },
      helpUri: docs,
      help: { text: `Documentation: ${docs}`, markdown: `[event-cycle](${docs})` },
      defaultConfiguration: { level: 'error' },
    });
    expect(run.results).toHaveLength(shop.findings.length);
    const cycleFinding = shop.findings.find((finding) => finding.ruleId === 'event-cycle')!;
    const cycle = run.results!.find((result) => result.ruleId === 'event-cycle')!;
    expect(cycle).toMatchObject({
      ruleIndex: 1,
      level: 'error',
      message: { text: cycleFinding.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'services/inventory/src/inventory.consumer.ts', uriBaseId: SRCROOT }, region: { startLine: 28, startColumn: 13 } } }],
      partialFingerprints: { [FINGERPRINT_KEY]: cycleFinding.fingerprint },
    });
    expect(cycle.relatedLocations!.map((related) => [related.id, related.physicalLocation!.artifactLocation!.uri, related.physicalLocation!.region!.startLine, related.message!.text])).toEqual(
      cycleFinding.related.map((related, index) => [index + 1, related.file, related.line, related.message]),
    );
    expect(run.results!.filter((result) => result.level === 'warning')).toHaveLength(7);
    expect(run.invocations).toEqual([{ executionSuccessful: true }]);
  });

  it('never writes a machine path: the source root is described, not located', () => {
    const output = renderSarif(shop);
    expect(JSON.parse(output).runs[0].originalUriBaseIds).toEqual({
      [SRCROOT]: { description: { text: 'The root of the analyzed repository, shop: every path of this run is relative to it.' } },
    });
    for (const machinePath of [ROOT, process.cwd(), homedir(), 'file:']) expect(output).not.toContain(machinePath);
  });

  it('puts locations in other repositories under their own base, the repository name leading the path', () => {
    const log = sarifLog(handMadeResult());
    const run = log.runs[0]!;
    expect(Object.keys(run.originalUriBaseIds!)).toEqual([SRCROOT, REPOSITORIES]);
    const merged = run.results!.find((result) => result.ruleId === 'orphan-event')!;
    expect(merged.locations![0]!.physicalLocation!.artifactLocation).toEqual({ uri: 'billing-repo/src/billing.ts', uriBaseId: REPOSITORIES });
    const cycle = run.results!.find((result) => result.ruleId === 'event-cycle')!;
    expect(cycle.relatedLocations!.map((related) => related.physicalLocation!.artifactLocation)).toEqual([
      { uri: 'src/we%20ird%2Cdir/a%3Ab%25c%23d.ts', uriBaseId: SRCROOT },
      { uri: 'billing-repo/src/billing.ts', uriBaseId: REPOSITORIES },
    ]);
    // A run with no merged location does not declare the base.
    expect(Object.keys(sarifLog(shop).runs[0]!.originalUriBaseIds!)).toEqual([SRCROOT]);
  });

  it('escapes paths as URI references and message brackets that would read as embedded links', () => {
    expect(uriOf('src/we ird,dir/a:b%c#d.ts')).toBe('src/we%20ird%2Cdir/a%3Ab%25c%23d.ts');
    expect(uriOf("src/(x)/it's*.ts")).toBe('src/%28x%29/it%27s%2A.ts');
    expect(messageText('see [link](1) and \\[x]')).toBe('see \\[link\\](1) and \\\\\\[x\\]');
    expect(messageText('orders[0] stays as it is')).toBe('orders[0] stays as it is');
    const log = sarifLog(handMadeResult());
    expect(log.runs[0]!.results![0]!.message.text).toContain('\\[link\\](1)');
    expect(log.runs[0]!.results![0]!.message.text).toContain('100% "quoted" <b>&amp;</b>');
  });

  it('leaves out notifications when every file was analyzed, and does not depend on input order', () => {
    expect(sarifLog(cleanResult()).runs[0]!.invocations).toEqual([{ executionSuccessful: true }]);
    expect(renderSarif(reversed(shop))).toBe(renderSarif(shop));
    expect(renderSarif(reversed(handMadeResult()))).toBe(renderSarif(handMadeResult()));
  });

  it('is the same log whether or not a baseline or a scope limited the findings', () => {
    const limited = limitedResult();
    expect(sarifProblems(sarifLog(limited))).toEqual([]);
    expect(renderSarif(limited)).toBe(renderSarif(handMadeResult()));
  });

  it('has the exit code of every other format (CLI from dist/)', () => {
    const { shop: stdout } = expectSameExitCodes('sarif');
    // The fixture lies in this repository's work tree: this format names files from its root.
    expect(stdout).toBe(renderSarif(withPathPrefix(shop, workTreePrefix(fixture('shop')) ?? '')));
  });
});
