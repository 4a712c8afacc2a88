import fc from 'fast-check';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from '../src/config/defaults.js';
import { anyGlob } from '../src/discover/globs.js';

const PATHS = [
  'src/index.ts',
  'services/order/src/order.service.ts',
  'services/order/src/order.service.spec.ts',
  'services/order/node_modules/kafkajs/index.js',
  'node_modules/x/y.ts',
  'packages/a/dist/index.js',
  'packages/a/src/types.d.ts',
  'packages/a/src/types.d.mts',
  '.github/workflows/ci.ts',
  'apps/web/.next/server.js',
  'scripts/seed.ts',
  'test/helpers.ts',
  'src/__mocks__/kafka.ts',
  'vendor/jquery.min.js',
  'src/app.bundle.js',
  'src/app.tsx',
  'src/worker.cjs',
  'src/readme.md',
  'build.ts',
  'out',
  'e2e-spec.ts',
  'a/b/c/d/e/f.mts',
];

describe('anyGlob: one regular expression for a list of globs', () => {
  it('agrees with picomatch on the default include and exclude globs', () => {
    for (const globs of [DEFAULT_INCLUDE, DEFAULT_EXCLUDE]) {
      const expected = picomatch([...globs], { dot: true });
      const actual = anyGlob(globs);
      expect(PATHS.map(actual)).toEqual(PATHS.map((file) => expected(file)));
    }
    expect(PATHS.filter((file) => anyGlob(DEFAULT_INCLUDE)(file) && !anyGlob(DEFAULT_EXCLUDE)(file))).toEqual([
      'src/index.ts',
      'services/order/src/order.service.ts',
      'src/app.tsx',
      'src/worker.cjs',
      'build.ts',
      'e2e-spec.ts',
      'a/b/c/d/e/f.mts',
    ]);
  });

  it('agrees with picomatch on negated, literal, brace and star globs', () => {
    const globs = ['!**/keep/**', 'src/index.ts', 'services/*/src/**/*.{ts,js}', 'a/**/f.mts', '*.ts'];
    for (const glob of globs) {
      const expected = picomatch(glob, { dot: true });
      expect(PATHS.map(anyGlob([glob]))).toEqual(PATHS.map((file) => expected(file)));
    }
    expect(anyGlob([])('src/index.ts')).toBe(false);
  });

  it('agrees with picomatch on generated globs and paths', () => {
    const segment = fc.constantFrom('src', 'a', 'b.ts', 'c.js', '.hidden', 'node_modules', 'x.d.ts', 'test', '*', '**', '*.ts', '{a,b}', '?.js');
    const glob = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
    const file = fc.array(fc.constantFrom('src', 'a', 'b.ts', 'c.js', '.hidden', 'node_modules', 'x.d.ts', 'test', 'b', 'z.ts'), { minLength: 1, maxLength: 5 }).map((parts) => parts.join('/'));
    fc.assert(
      fc.property(fc.array(glob, { minLength: 1, maxLength: 4 }), fc.array(file, { minLength: 1, maxLength: 10 }), (globs, files) => {
        const expected = picomatch(globs, { dot: true });
        expect(files.map(anyGlob(globs))).toEqual(files.map((path) => expected(path)));
      }),
      { numRuns: 300, seed: 20261126 },
    );
  });
});
