import { describe, expect, it } from 'vitest';
import { createModuleResolver } from '../src/link/module-resolution.js';

const resolver = createModuleResolver({
  files: [
    'apps/api/src/main.ts',
    'apps/api/src/routes/index.ts',
    'apps/api/src/util.ts',
    'apps/api/src/legacy.js',
    'packages/events/src/index.ts',
    'packages/events/src/orders.ts',
    'packages/events/src/billing/topics.ts',
    'packages/plain/index.js',
  ],
  packages: [
    { name: '@acme/events', dir: 'packages/events', entries: ['dist/index.js'], subpaths: { './billing': './dist/billing/topics.js' }, dependencies: [] },
    { name: 'plain', dir: 'packages/plain', entries: [], subpaths: {}, dependencies: [] },
  ],
  tsconfigs: [
    { dir: '', base: '', paths: {}, hasBaseUrl: false },
    { dir: 'apps/api', base: 'apps/api', paths: { '~/*': ['src/*'], '@events': ['../../packages/events/src/index.ts'] }, hasBaseUrl: true },
  ],
});

describe('module resolution', () => {
  it.each([
    ['./util', 'apps/api/src/util.ts'],
    ['./util.js', 'apps/api/src/util.ts'],
    ['./routes', 'apps/api/src/routes/index.ts'],
    ['./legacy', 'apps/api/src/legacy.js'],
    ['~/util', 'apps/api/src/util.ts'],
    ['@events', 'packages/events/src/index.ts'],
    ['src/util', 'apps/api/src/util.ts'],
    ['@acme/events', 'packages/events/src/index.ts'],
    ['@acme/events/billing', 'packages/events/src/billing/topics.ts'],
    ['@acme/events/orders', 'packages/events/src/orders.ts'],
    ['plain', 'packages/plain/index.js'],
  ])('%s from apps/api/src/main.ts → %s', (specifier, file) => {
    expect(resolver.resolve('apps/api/src/main.ts', specifier)).toEqual({ file });
  });

  it('names external modules and leaves missing relative files unresolved', () => {
    expect(resolver.resolve('apps/api/src/main.ts', 'kafkajs')).toEqual({ external: 'kafkajs' });
    expect(resolver.resolve('apps/api/src/main.ts', 'node:events')).toEqual({ external: 'node:events' });
    expect(resolver.resolve('apps/api/src/main.ts', './missing')).toBeUndefined();
    expect(resolver.resolve('apps/api/src/main.ts', '../../../../outside')).toBeUndefined();
  });

  it('does not apply a package tsconfig outside its directory', () => {
    expect(resolver.resolve('packages/events/src/index.ts', '~/util')).toEqual({ external: '~/util' });
  });
});
