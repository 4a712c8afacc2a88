import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderStylish } from '../src/report/stylish.js';
import { analyzeFixture, ROOT } from './helpers.js';

describe('README', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

  it('Quick start is exactly two commands: install and run the example, then the tests', () => {
    const block = /## Quick start\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBe('npm ci && node bin/choreolint.js check fixtures/shop\nnpm test\n');
  });

  it('shows what the example really prints', async () => {
    const output = renderStylish(await analyzeFixture('shop'), { color: false });
    expect(readme).toContain(`\`\`\`\n${output}\`\`\``);
  });
});
