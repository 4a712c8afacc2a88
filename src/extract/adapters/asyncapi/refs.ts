import path from 'node:path';
import { yamlModule } from '../../../util/lazy.js';

export interface RefusedRef {
  file: string;
  ref: string;
  line: number;
  column: number;
  remote: boolean;
}

const REFUSED_KEY = 'x-choreolint-refused-ref';

/**
 * The document's text with every `$ref` that points over http(s) or outside the analyzed
 * directory renamed to `x-choreolint-refused-ref`: the parser then never tries to fetch it, and
 * the rest of the document stays usable. Only the key is renamed, so lines do not move.
 */
export function neutralizeRefs(file: string, text: string): { text: string; refused: RefusedRef[] } {
  if (!text.includes('$ref')) return { text, refused: [] };
  const { isPair, isScalar, LineCounter, parseDocument, visit } = yamlModule();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: false });
  const edits: Array<{ start: number; end: number }> = [];
  const refused: RefusedRef[] = [];
  visit(document, {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || pair.key.value !== '$ref' || !isScalar(pair.value)) return;
      const ref = String(pair.value.value);
      const remote = /^[a-z][a-z0-9+.-]*:/i.test(ref);
      if (!remote && !leavesRoot(file, ref)) return;
      const range = pair.key.range;
      if (!range) return;
      const keyText = text.slice(range[0], range[1]);
      const offset = range[0] + keyText.indexOf('$ref');
      edits.push({ start: offset, end: offset + '$ref'.length });
      const position = lineCounter.linePos(range[0]);
      refused.push({ file, ref, line: position.line, column: position.col, remote });
    },
  });
  let rewritten = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) rewritten = rewritten.slice(0, edit.start) + REFUSED_KEY + rewritten.slice(edit.end);
  return { text: rewritten, refused };
}

function leavesRoot(file: string, ref: string): boolean {
  const target = ref.split('#')[0] ?? '';
  if (!target) return false;
  if (target.startsWith('/')) return true;
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(file), target));
  return joined.startsWith('..');
}
