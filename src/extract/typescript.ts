import { createRequire } from 'node:module';
import type { ts } from 'ts-morph';

export type TypeScript = typeof ts;

let loaded: TypeScript | undefined;

/**
 * The TypeScript that ts-morph bundles, loaded on first use (by `load` when given: the pipeline
 * passes a loader that uses V8's code cache): loading it costs about half a second,
 * and a run in which no file needs parsing (everything cached) should not pay it.
 */
export function loadTypeScript(load?: () => TypeScript): TypeScript {
  loaded ??= load ? load() : (createRequire(import.meta.url)('ts-morph') as { ts: TypeScript }).ts;
  return loaded;
}
