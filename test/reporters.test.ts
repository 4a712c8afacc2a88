import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderJson } from '../src/report/json.js';
import { renderMermaid } from '../src/report/mermaid.js';
import { renderStylish } from '../src/report/stylish.js';
import { analyzeFixture, FIXTURES } from './helpers.js';

/** Golden files beside the fixture; UPDATE_EXPECTED=1 rewrites them (review the diff). */
function expectGolden(name: string, actual: string): void {
  const file = path.join(FIXTURES, name);
  if (process.env.UPDATE_EXPECTED === '1') writeFileSync(file, actual);
  if (!existsSync(file)) throw new Error(`${name} is missing: run with UPDATE_EXPECTED=1 and review it`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}

describe('reporters render the result document of the shop example', async () => {
  const result = await analyzeFixture('shop');

  it('stylish, without colour', () => {
    expectGolden('shop.expected.stylish.txt', renderStylish(result, { color: false }));
  });

  it('stylish colours only when asked', () => {
    expect(renderStylish(result, { color: false })).not.toContain('\u001b[');
    expect(renderStylish(result, { color: true })).toContain('\u001b[31merror  \u001b[39m');
  });

  it('mermaid, events view', () => {
    expectGolden('shop.expected.events.mmd', renderMermaid(result, 'events'));
  });

  it('mermaid, flows view', () => {
    expectGolden('shop.expected.flows.mmd', renderMermaid(result, 'flows'));
  });

  it('json is the document itself', () => {
    expect(JSON.parse(renderJson(result))).toEqual(result);
  });
});
