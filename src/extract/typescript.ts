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

/** Members that extraction reads besides the `is…` tests. */
const FAST_MEMBERS = [
  'SyntaxKind',
  'NodeFlags',
  'ScriptTarget',
  'ScriptKind',
  'LanguageVariant',
  'JSDocParsingMode',
  'forEachChild',
  'canHaveModifiers',
  'canHaveDecorators',
  'getModifiers',
  'getDecorators',
  'createSourceFile',
  'createScanner',
  'flattenDiagnosticMessageText',
];

let fastMembers: { ts: TypeScript; fast: TypeScript } | undefined;

/**
 * `ts` with the members extraction reads as plain properties, the rest inherited from it. The
 * namespace ts-morph exports is a dictionary of 2,000 getters, so each `ts.isIdentifier(node)`
 * looked a getter up and called it before the test itself: that was a good part of the walk.
 * (More than about a thousand own properties would make this object a dictionary too.)
 */
export function withFastMembers(ts: TypeScript): TypeScript {
  if (fastMembers?.ts === ts) return fastMembers.fast;
  const fast = Object.create(ts) as TypeScript;
  const source = ts as unknown as Record<string, unknown>;
  for (const key of Object.keys(ts)) {
    if (!FAST_MEMBERS.includes(key) && !(key.startsWith('is') && typeof source[key] === 'function')) continue;
    Object.defineProperty(fast, key, { value: source[key], enumerable: true });
  }
  fastMembers = { ts, fast };
  return fast;
}
