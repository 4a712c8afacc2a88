import path from 'node:path';
import { yamlModule } from '../../../util/lazy.js';
import { referenceLoop, type ReferencedFiles } from './ref-loops.js';

/** Why a `$ref` is not followed: only relative paths to files inside the analyzed directory are. */
export type RefusalReason = 'network' | 'outside' | 'missing' | 'scheme' | 'loop';

export interface RefusedRef {
  file: string;
  ref: string;
  line: number;
  column: number;
  reason: RefusalReason;
  /** For a loop: the references it goes through, back to the first. */
  loop?: string[];
}

const REFUSED_KEY = 'x-choreolint-refused-ref';

export const REFUSAL_MESSAGES: Record<RefusalReason, string> = {
  network: 'choreolint never fetches over the network',
  outside: 'it leaves the analyzed directory',
  missing: 'no such file in the analyzed directory',
  scheme: 'only relative paths to files in the analyzed directory are followed',
  loop: 'it leads into a loop of references that never reaches a value',
};

/**
 * The document's text with every `$ref` that choreolint will not follow (over the network, outside
 * the analyzed directory, to a file that does not exist, any other URL) renamed to
 * `x-choreolint-refused-ref`: the parser then never tries to resolve it, and the rest of the
 * document stays usable. Only the key is renamed, so lines do not move. A `$ref` whose value is an
 * alias is judged by the value the alias stands for. A `$ref` that leads into a loop of references
 * is renamed too: the parser would never return.
 */
export function neutralizeRefs(file: string, text: string, files: ReferencedFiles): { text: string; refused: RefusedRef[] } {
  if (!text.includes('$ref')) return { text, refused: [] };
  const { isAlias, isPair, isScalar, LineCounter, parseDocument, visit } = yamlModule();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: false });
  const edits: Array<{ start: number; end: number }> = [];
  const refused: RefusedRef[] = [];
  visit(document, {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || pair.key.value !== '$ref') return;
      const value = isAlias(pair.value) ? pair.value.resolve(document) : pair.value;
      if (!isScalar(value)) return;
      const ref = String(value.value);
      const reason = refusalOf(file, ref, files);
      const loop = reason ? undefined : referenceLoop(file, ref, files);
      if (!reason && !loop) return;
      const range = pair.key.range;
      if (!range) return;
      const keyText = text.slice(range[0], range[1]);
      const offset = range[0] + keyText.indexOf('$ref');
      edits.push({ start: offset, end: offset + '$ref'.length });
      const position = lineCounter.linePos(range[0]);
      refused.push({ file, ref, line: position.line, column: position.col, ...(loop ? { reason: 'loop', loop } : { reason: reason! }) });
    },
  });
  let rewritten = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) rewritten = rewritten.slice(0, edit.start) + REFUSED_KEY + rewritten.slice(edit.end);
  return { text: rewritten, refused };
}

const NETWORK_SCHEMES = /^(https?|ftps?|wss?|git|ssh|sftp):/i;
const ANY_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function refusalOf(file: string, ref: string, files: ReferencedFiles): RefusalReason | undefined {
  const target = ref.trim().split('#')[0] ?? '';
  if (NETWORK_SCHEMES.test(target) || target.startsWith('//')) return 'network';
  if (/^file:/i.test(target)) return 'outside';
  if (ANY_SCHEME.test(target)) return 'scheme';
  if (!target) return undefined;
  if (target.startsWith('/') || target.startsWith('\\')) return 'outside';
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
  if (joined === '..' || joined.startsWith('../')) return 'outside';
  if (files.text(joined) !== undefined) return undefined;
  return files.leadsOutside(joined) ? 'outside' : 'missing';
}
