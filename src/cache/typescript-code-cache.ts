import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';
import type { TypeScript } from '../extract/typescript.js';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import { packageRoot } from '../util/package-root.js';

const require = createRequire(import.meta.url);

/**
 * TypeScript (the copy ts-morph bundles) compiled with V8's code cache. Loading it costs about
 * 0.25 s of every run that parses a file, most of it compiling 9 MB of JavaScript. The build
 * writes a code cache beside the CLI bundle (for the Node that installed it); a run can also keep
 * one beside its summary cache. V8 checks the data and rejects it for another Node or source, and
 * then TypeScript is simply compiled again.
 */
export function loadTypeScriptWithCodeCache(cacheLocation?: string): { ts: TypeScript; save: () => void } {
  const file = typescriptFile();
  const source = readFileSync(file, 'utf8');
  const name = cacheFileName(source);
  const candidates = [path.join(packageRoot(), 'dist', name), ...(cacheLocation ? [path.join(cacheLocation, name)] : [])];
  const found = candidates.find((candidate) => existsSync(candidate));
  const cachedData = found ? readFileSync(found) : undefined;
  const script = new Script(Module.wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as TypeScript };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  return {
    ts: module.exports,
    save() {
      if (!cacheLocation || (cachedData && !script.cachedDataRejected)) return;
      writeCodeCache(path.join(cacheLocation, name), script);
    },
  };
}

/** Run by the build: parses a sample so the cache holds the parser's functions, and writes it into dist/. */
export function buildShippedCodeCache(): string {
  const { ts } = loadTypeScriptWithCodeCache();
  // Parsed as extraction parses (no parent pointers, no JSDoc): the cache then holds the functions a run calls.
  const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
  ts.createSourceFile('sample.ts', 'export class A { async b(c: string): Promise<void> { await this.d({ topic: `x.${c}` }); } }', options, false);
  const file = typescriptFile();
  const source = readFileSync(file, 'utf8');
  const script = new Script(Module.wrap(source), { filename: file });
  const target = path.join(packageRoot(), 'dist', cacheFileName(source));
  writeCodeCache(target, script);
  return target;
}

function typescriptFile(): string {
  return require.resolve('@ts-morph/common/dist/typescript.js', { paths: [path.dirname(require.resolve('ts-morph'))] });
}

function cacheFileName(source: string): string {
  return `typescript-${process.version}-${process.arch}-${source.length}.v8`;
}

function writeCodeCache(target: string, script: Script): void {
  try {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileAtomic(target, script.createCachedData().toString('latin1'), 'latin1');
  } catch {
    // A cache that cannot be written only costs the next run its speed.
  }
}
