import type { Config } from './types.js';

export const CONFIG_FILE_NAMES = ['choreolint.yaml', 'choreolint.yml', '.choreolint.yaml', '.choreolint.yml', 'choreolint.json'];

export const DEFAULT_INCLUDE = ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'];

/** Build output, dependencies, tests, mocks and scripts never run in production's event flow. */
export const DEFAULT_EXCLUDE = [
  '**/node_modules/**',
  '**/dist/**',
  '**/build/**',
  '**/out/**',
  '**/coverage/**',
  '**/.*/**',
  '**/*.d.ts',
  '**/*.d.mts',
  '**/*.d.cts',
  '**/*.{test,spec,e2e-spec}.*',
  '**/{test,tests,__tests__,__mocks__,mocks,e2e,scripts}/**',
  '**/*.{min,bundle}.js',
];

export const DEFAULT_MAX_CALL_DEPTH = 8;

export function defaultConfig(dir: string): Config {
  return {
    include: DEFAULT_INCLUDE,
    exclude: [],
    excludeDefaults: true,
    services: [],
    rules: {},
    adapters: {},
    external: [],
    declare: [],
    maxCallDepth: DEFAULT_MAX_CALL_DEPTH,
    dir,
  };
}
