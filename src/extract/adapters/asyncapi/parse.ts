import path from 'node:path';
import type { AsyncAPIDocumentInterface, Parser } from '@asyncapi/parser';
import { neutralizeRefs, type RefusedRef } from './refs.js';

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
  readFile: (file: string) => string | undefined;
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
export function parseAsyncApi(file: string, text: string, readFile: (file: string) => string | undefined): Promise<ParsedAsyncApi> {
  const run = queue.then(() => parseOne(file, text, readFile));
  queue = run.catch(() => undefined);
  return run;
}

async function parseOne(file: string, text: string, readFile: (file: string) => string | undefined): Promise<ParsedAsyncApi> {
  const main = neutralizeRefs(file, text);
  current = { readFile, refused: [...main.refused] };
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
      message: `$ref to ${refused.ref} refused: ${refused.remote ? 'choreolint never fetches over the network' : 'it leaves the analyzed directory'}`,
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
        message: `invalid AsyncAPI document: ${first.message}${elsewhere}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
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
              { schema: 'http', order: 1, read: (uri) => refuse(uri.toString()) },
              { schema: 'https', order: 1, read: (uri) => refuse(uri.toString()) },
            ],
          },
        },
      }),
  );
  return parser;
}

/**
 * The resolvers' last line of defence (neutralizeRefs already renamed such `$ref`s): the parser
 * falls back to its own resolvers when ours throws, so refusing returns an empty document.
 */
function refuse(target: string): string {
  current?.refused.push({ file: target, ref: target, line: 1, column: 1, remote: /^https?:/.test(target) });
  return '{}';
}

/** A referenced file inside the analyzed directory, with its own outward `$ref`s neutralized too. */
function readReference(absolute: string): string {
  const normalized = path.posix.normalize(absolute);
  const relative = normalized.startsWith(VIRTUAL_ROOT) ? normalized.slice(VIRTUAL_ROOT.length) : undefined;
  const text = relative !== undefined ? current?.readFile(relative) : undefined;
  if (relative === undefined || text === undefined) return refuse(relative ?? absolute);
  const neutralized = neutralizeRefs(relative, text);
  current?.refused.push(...neutralized.refused);
  return neutralized.text;
}
