import path from 'node:path';
import type { AsyncAPIDocumentInterface, Parser } from '@asyncapi/parser';
import { referencedFiles, type ReferencedFiles } from './ref-loops.js';
import { neutralizeRefs, REFUSAL_MESSAGES, type RefusedRef } from './refs.js';
import type { ConfigFileContext } from '../types.js';

export interface ParseProblem {
  code: 'asyncapi-invalid' | 'asyncapi-ref-refused';
  /** Set when the problem is in a referenced file rather than the document itself. */
  file?: string;
  message: string;
  line: number;
  column: number;
}

export interface ParsedAsyncApi {
  document?: AsyncAPIDocumentInterface;
  problems: ParseProblem[];
}

/** Documents are parsed as if they lived under this root, so no machine path reaches the parser. */
const VIRTUAL_ROOT = '/choreolint-root/';

/** Rules about examples and defaults: they judge payload samples, not the topology. */
const IGNORED_RULES = ['asyncapi2-message-examples', 'asyncapi2-message-examples-custom-format', 'asyncapi2-schema-default', 'asyncapi2-schema-examples'];

interface CurrentDocument {
  file: string;
  text: string;
  files: ReferencedFiles;
  refused: RefusedRef[];
}

let current: CurrentDocument | undefined;
let parser: Promise<Parser> | undefined;
let queue: Promise<unknown> = Promise.resolve();

/**
 * Parses one document with @asyncapi/parser (loaded on first use: it is heavy). `$ref`s are read
 * only inside the analyzed directory; any other file, and http(s), is refused with a problem and
 * never fetched (the parser's own resolvers would fetch remote references).
 */
export function parseAsyncApi(file: string, text: string, context: ConfigFileContext): Promise<ParsedAsyncApi> {
  const run = queue.then(() => parseOne(file, text, context));
  queue = run.catch(() => undefined);
  return run;
}

async function parseOne(file: string, text: string, context: ConfigFileContext): Promise<ParsedAsyncApi> {
  const files = referencedFiles(context, { file, text });
  const main = neutralizeRefs(file, text, files);
  current = { file, text, files, refused: [...main.refused] };
  try {
    const output = await (await loadParser()).parse(main.text, {
      source: VIRTUAL_ROOT + file,
      parseSchemas: false,
      validateOptions: { allowedSeverity: { error: true } },
    });
    const diagnostics = output.diagnostics;
    const unique = new Map(current.refused.map((refused) => [`${refused.file}:${refused.line}:${refused.ref}`, refused]));
    const problems: ParseProblem[] = [...unique.values()].map((refused) => ({
      code: 'asyncapi-ref-refused',
      ...(refused.file === file ? {} : { file: refused.file }),
      message: `$ref to ${refused.ref} refused: ${REFUSAL_MESSAGES[refused.reason]}${refused.loop ? ` (${refused.loop.join(' → ')})` : ''}`,
      line: refused.line,
      column: refused.column,
    }));
    // Payload, header and schema problems say nothing about the topology: only the rest invalidates a document.
    const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 0 && !isAboutMessageContent(diagnostic.path));
    const first = errors[0];
    const document = first ? undefined : output.document;
    if (first) {
      const elsewhere = first.source && first.source !== VIRTUAL_ROOT + file ? ` (in ${first.source.replace(VIRTUAL_ROOT, '')})` : '';
      problems.push({
        code: 'asyncapi-invalid',
        message: `invalid AsyncAPI document: ${oneLine(first.message)}${elsewhere}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
        line: first.range.start.line + 1,
        column: first.range.start.character + 1,
      });
    }
    return { ...(document ? { document } : {}), problems };
  } finally {
    current = undefined;
  }
}

const CONTENT_KEYS = new Set(['payload', 'headers', 'schemas', 'examples', 'schema']);

function isAboutMessageContent(path: ReadonlyArray<string | number>): boolean {
  return path.some((segment) => typeof segment === 'string' && CONTENT_KEYS.has(segment));
}

function loadParser(): Promise<Parser> {
  parser ??= import('@asyncapi/parser').then(
    ({ Parser }) =>
      new Parser({
        ruleset: { recommended: false, rules: Object.fromEntries(IGNORED_RULES.map((rule) => [rule, 'off'])) },
        __unstable: {
          resolver: {
            cache: false,
            resolvers: [
              { schema: 'file', order: 1, read: (uri) => readReference(uri.path()) },
              { schema: 'http', order: 1, read: (uri) => refuse(uri.toString(), 'network') },
              { schema: 'https', order: 1, read: (uri) => refuse(uri.toString(), 'network') },
            ],
          },
        },
      }),
  );
  return parser;
}

/**
 * The resolvers' last line of defence (neutralizeRefs already renamed such `$ref`s): the parser
 * falls back to its own resolvers when ours throws, so refusing returns an empty document. The
 * `$ref`'s own position is unknown here: the problem is the document's, at the first mention of
 * the target in its text.
 */
function refuse(target: string, reason: RefusedRef['reason']): string {
  if (!current) return '{}';
  const at = current.text.indexOf(target);
  const before = at < 0 ? '' : current.text.slice(0, at);
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  current.refused.push({ file: current.file, ref: target, line, column, reason });
  return '{}';
}

/**
 * A parser message as one line without machine paths: an exception the parser caught comes as
 * `Error thrown during AsyncAPI document parsing. Name: Error, message: …, stack: …` with the
 * stack of node_modules inline.
 */
function oneLine(message: string): string {
  const thrown = /^Error thrown during AsyncAPI document parsing\. Name: [^,]*, message: ([\s\S]*?)(, stack: [\s\S]*)?$/.exec(message);
  return (thrown ? thrown[1]! : message).split(VIRTUAL_ROOT).join('').replace(/\s+/g, ' ').trim();
}


/** A referenced file inside the analyzed directory, with its own outward `$ref`s neutralized too. */
function readReference(absolute: string): string {
  const normalized = path.posix.normalize(absolute);
  const relative = normalized.startsWith(VIRTUAL_ROOT) ? normalized.slice(VIRTUAL_ROOT.length) : undefined;
  if (relative === undefined) return refuse(absolute, 'outside');
  const files = current?.files;
  const text = files?.text(relative);
  if (!files || text === undefined) return refuse(relative, 'missing');
  const neutralized = neutralizeRefs(relative, text, files);
  current?.refused.push(...neutralized.refused);
  return neutralized.text;
}
