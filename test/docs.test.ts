import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configureRules } from '../src/check/configure.js';
import { RULES } from '../src/check/registry.js';
import { ADAPTERS } from '../src/extract/adapters/index.js';
import { ROOT } from './helpers.js';

const read = (relative: string) => readFileSync(path.join(ROOT, relative), 'utf8');

describe.each(RULES.map((rule) => [rule.meta.id, rule] as const))('rule %s', (id, rule) => {
  it('has its doc page, titled with its id', () => {
    expect(rule.meta.docs).toBe(`docs/rules/${id}.md`);
    expect(existsSync(path.join(ROOT, rule.meta.docs))).toBe(true);
    expect(read(rule.meta.docs).split('\n')[0]).toBe(`# ${id}`);
  });

  it('states the same description in its doc as in its meta', () => {
    const firstParagraph = read(rule.meta.docs).split('\n\n')[1]?.replace(/\s+/g, ' ').trim();
    expect(firstParagraph).toBe(rule.meta.description);
  });

  it('has default options that its own schema accepts', () => {
    expect(configureRules({ [id]: [rule.meta.defaultSeverity === 'off' ? 'warn' : rule.meta.defaultSeverity, { ...rule.meta.defaultOptions }] }).problems).toEqual([]);
  });

  it('documents its default severity and every option', () => {
    const doc = read(rule.meta.docs);
    expect(doc).toContain(`Default severity: \`${rule.meta.defaultSeverity}\``);
    const options = doc.split('## Options')[1] ?? '';
    for (const option of Object.keys((rule.meta.schema.properties ?? {}) as object)) expect(options).toContain(`\`${option}\``);
  });
});

describe.each(ADAPTERS.map((adapter) => [adapter.id, adapter] as const))('adapter %s', (id, adapter) => {
  it('has its doc page, titled with its id', () => {
    expect(adapter.docs).toBe(`docs/adapters/${id}.md`);
    expect(read(adapter.docs).split('\n')[0]).toBe(`# ${id}`);
  });
});

describe('docs/architecture.md', () => {
  it('describes every folder of src/', () => {
    const architecture = read('docs/architecture.md');
    const folders = readdirSync(path.join(ROOT, 'src'), { withFileTypes: true }).filter((entry) => entry.isDirectory());
    for (const folder of folders) expect(architecture).toContain(`\`src/${folder.name}/\``);
  });
});
