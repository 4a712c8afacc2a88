import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../src/config/load.js';
import { ConfigError } from '../src/config/types.js';

function configError(text: string): string {
  try {
    parseConfigText(text, 'choreolint.yaml', '/repo');
  } catch (error) {
    if (error instanceof ConfigError) return error.format('choreolint.yaml');
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfigText', () => {
  it('reads every key and keeps the defaults for the rest', () => {
    const { config } = parseConfigText(
      'include: ["src/**/*.ts"]\nexclude: ["src/legacy/**"]\nservices:\n  - name: api\n    paths: ["src/api/**"]\nrules:\n  event-cycle: [warn, { allow: [] }]\n',
      '/repo/choreolint.yaml',
      '/repo',
    );
    expect(config).toEqual({
      include: ['src/**/*.ts'],
      exclude: ['src/legacy/**'],
      excludeDefaults: true,
      services: [{ name: 'api', paths: ['src/api/**'] }],
      rules: { 'event-cycle': ['warn', { allow: [] }] },
      adapters: {},
      external: [],
      declare: [],
      maxCallDepth: 8,
      file: '/repo/choreolint.yaml',
      dir: '/repo',
    });
  });

  it('accepts an empty file', () => {
    expect(parseConfigText('', '/repo/choreolint.yaml', '/repo').config.include).toEqual(['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}']);
  });

  it('names line and column of invalid YAML', () => {
    expect(configError('rules:\n  event-cycle: [warn\n')).toMatch(/^choreolint\.yaml:3:1: invalid YAML: /);
  });

  it('suggests the nearest key for an unknown one, pointing at the key', () => {
    expect(configError('servces: []\n')).toBe('choreolint.yaml:1:1: unknown key "servces" (did you mean "services"?)');
  });

  it('names the value of the wrong type', () => {
    expect(configError('maxCallDepth: deep\n')).toBe('choreolint.yaml:1:15: maxCallDepth: must be integer');
    expect(configError('services:\n  - name: api\n')).toBe("choreolint.yaml:2:5: services.0: must have required property 'paths'");
  });

  it('rejects a rule setting that is neither a severity nor [severity, options]', () => {
    expect(configError('rules:\n  event-cycle: 2\n')).toBe('choreolint.yaml:2:16: rules.event-cycle: must be one of "off", "warn", "error"');
    expect(configError('rules:\n  event-cycle: [warn, 3]\n')).toBe('choreolint.yaml:2:23: rules.event-cycle.1: must be object');
  });
});
