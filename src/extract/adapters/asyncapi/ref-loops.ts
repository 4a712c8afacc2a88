import path from 'node:path';
import { yamlModule } from '../../../util/lazy.js';
import type { ConfigFileContext } from '../types.js';

/** The files a document's `$ref`s reach, as text and as data, each read and parsed once. */
export interface ReferencedFiles {
  text(file: string): string | undefined;
  /** Whether a file with no text leads outside the analyzed directory (a symbolic link). */
  leadsOutside(file: string): boolean;
  value(file: string): unknown;
}

export function referencedFiles(context: ConfigFileContext, main: { file: string; text: string }): ReferencedFiles {
  const texts = new Map<string, string | undefined>([[main.file, main.text]]);
  const values = new Map<string, unknown>();
  const text = (file: string) => {
    if (!texts.has(file)) texts.set(file, context.readFile(file));
    return texts.get(file);
  };
  return {
    text,
    leadsOutside: (file) => context.leadsOutside?.(file) ?? false,
    value(file) {
      if (!values.has(file)) values.set(file, parseData(text(file)));
      return values.get(file);
    },
  };
}

function parseData(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return yamlModule().parseDocument(text, { uniqueKeys: false }).toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

/** Longer chains of references to references are treated as loops: no real document has them. */
const MAX_CHAIN = 32;

/**
 * The loop a `$ref` leads into when it points at a reference that points at a reference… and
 * back, never reaching a value (`a: {$ref: '#/b'}`, `b: {$ref: '#/a'}`), within a file or across
 * files: the AsyncAPI parser given such a document never returns. The chain is returned as
 * `file#/pointer` steps ending where it closes; undefined when the chain reaches a value or
 * something that is not there.
 */
export function referenceLoop(file: string, ref: string, files: ReferencedFiles): string[] | undefined {
  const chain: string[] = [];
  let from = file;
  let current = ref;
  for (let step = 0; step < MAX_CHAIN; step++) {
    const target = targetOf(from, current);
    if (!target) return undefined;
    const id = `${target.file}#${target.pointer.map((segment) => `/${segment.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')}`;
    chain.push(id);
    if (chain.indexOf(id) !== chain.length - 1) return chain;
    const node = valueAt(files.value(target.file), target.pointer);
    if (!node || typeof node !== 'object' || typeof (node as { $ref?: unknown }).$ref !== 'string') return undefined;
    from = target.file;
    current = (node as { $ref: string }).$ref;
  }
  return chain;
}

/** A relative `$ref` inside the analyzed directory as file and pointer; undefined for anything else. */
function targetOf(from: string, ref: string): { file: string; pointer: string[] } | undefined {
  const hash = ref.indexOf('#');
  const location = hash === -1 ? ref : ref.slice(0, hash);
  const fragment = hash === -1 ? '' : ref.slice(hash + 1);
  if (/^[a-z][a-z0-9+.-]*:/i.test(location) || location.startsWith('/') || location.startsWith('\\')) return undefined;
  const file = location ? path.posix.normalize(path.posix.join(path.posix.dirname(from), location)) : from;
  if (file === '..' || file.startsWith('../')) return undefined;
  if (fragment !== '' && !fragment.startsWith('/')) return undefined;
  let pointer: string[];
  try {
    pointer = fragment
      .split('/')
      .slice(1)
      .map((segment) => decodeURIComponent(segment).replace(/~1/g, '/').replace(/~0/g, '~'));
  } catch {
    return undefined;
  }
  return { file, pointer };
}

function valueAt(root: unknown, pointer: readonly string[]): unknown {
  let node = root;
  for (const segment of pointer) {
    if (!node || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}
