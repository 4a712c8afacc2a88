import { describe, expect, it } from 'vitest';
import { configureRules } from '../../src/check/configure.js';
import { RULES } from '../../src/check/registry.js';
import { runRules } from '../../src/check/run.js';
import { buildTopology } from '../../src/graph/topology.js';
import { analyzeFixture } from '../helpers.js';

describe('unresolved-event-name', async () => {
  const result = await analyzeFixture('name-resolution');
  const onlyThisRule = configureRules(Object.fromEntries(RULES.map((rule) => [rule.meta.id, rule.meta.id === 'unresolved-event-name' ? 'warn' : 'off'])));
  const { findings } = runRules(buildTopology(result), onlyThisRule.rules);

  it('invalid: every dynamic declaration, with its expression and known part', () => {
    expect(findings.map((f) => [`${f.location.file}:${f.location.line}`, f.message])).toEqual([
      ['services/publisher/src/publish-all.ts:33', 'The event name of this publish could not be resolved statically: `${ORDER_PREFIX}.${kind}` (known part: orders.*)'],
      ['services/publisher/src/publish-all.ts:34', 'The event name of this publish could not be resolved statically: `topicFor(kind)`'],
    ]);
  });

  it('valid: the sixteen resolved declarations of the fixture are not reported', () => {
    expect(result.declarations.filter((d) => !d.dynamic)).toHaveLength(16);
    expect(findings).toHaveLength(2);
  });
});
