import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';
import type { TypeScript } from '../extract/typescript.js';
import { writeFileAtomic } from '../io/write-file-atomic.js';

const require = createRequire(import.meta.url);

/**
 * TypeScript (the copy ts-morph bundles) compiled with V8's code cache: loading it costs about
 * 0.25 s of every run that parses a file, most of it compiling 9 MB of JavaScript. With the
 * cached bytecode beside the summary cache, a warm run that parses one changed file pays a
 * fraction of that. The cache is keyed by Node's and TypeScript's versions; V8 rejects stale data.
 */
export function loadTypeScriptWithCodeCache(cacheLocation: string): { ts: TypeScript; save: () => void } {
  const file = require.resolve('@ts-morph/common/dist/typescript.js', { paths: [path.dirname(require.resolve('ts-morph'))] });
  const source = readFileSync(file, 'utf8');
  const cacheFile = path.join(cacheLocation, `typescript-${process.version}-${process.arch}-${source.length}.v8`);
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const script = new Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as TypeScript };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return {
    ts: module.exports,
    save() {
      if (cachedData && !script.cachedDataRejected) return;
      try {
        mkdirSync(cacheLocation, { recursive: true });
        writeFileAtomic(cacheFile, script.createCachedData().toString('latin1'), 'latin1');
      } catch {
        // A cache that cannot be written only costs the next run its speed.
      }
    },
  };
}
