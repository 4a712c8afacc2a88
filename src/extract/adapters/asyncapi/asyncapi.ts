import type { ChannelInterface, OperationInterface } from '@asyncapi/parser';
import type { Document } from 'yaml';
import type { DeclarationDraft, NameExpr, SummaryDiagnostic } from '../../../model/summary.js';
import { yamlModule } from '../../../util/lazy.js';
import { createYamlLocator, type YamlLocator } from '../../../util/yaml-locator.js';
import type { Adapter, ConfigFileSummary } from '../types.js';
import { parseAsyncApi } from './parse.js';

const IS_ASYNCAPI = /^\s*["']?asyncapi["']?\s*:/m;

/**
 * AsyncAPI documents (2.x and 3.x, YAML or JSON) as a source of topology: each document is one
 * application, whose operations become declarations of the service it describes.
 */
export const asyncapi: Adapter = {
  id: 'asyncapi',
  title: 'AsyncAPI',
  enablers: [],
  builtin: true,
  tokens: [],
  docs: 'docs/adapters/asyncapi.md',
  visitor: () => ({}),
  configFiles: ['**/*.{yml,yaml,json}'],
  async extractConfigFile(file, text, context) {
    if (!IS_ASYNCAPI.test(text.slice(0, 4096))) return empty();
    const { LineCounter, parseDocument } = yamlModule();
    const lineCounter = new LineCounter();
    const yaml = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
    const problem = yamlProblem(yaml);
    if (problem) {
      const position = lineCounter.linePos(problem.offset);
      return { declarations: [], routes: [], diagnostics: [{ code: 'asyncapi-invalid', message: `invalid YAML: ${problem.message}`, line: position.line, column: position.col }] };
    }
    const locate = createYamlLocator(yaml, lineCounter);
    const parsed = await parseAsyncApi(file, text, context);
    const diagnostics: SummaryDiagnostic[] = parsed.problems;
    if (!parsed.document) return { declarations: [], routes: [], diagnostics };
    const service = parsed.document.info().title();
    const declarations = parsed.document
      .operations()
      .all()
      .flatMap((operation) => declarationsOf(operation, service, locate));
    return { declarations, routes: [], diagnostics };
  },
};

/** Aliases of aliases expand exponentially: past this many, the document is an attack, not an API. */
const MAX_ALIAS_COUNT = 10_000;

/**
 * What stops a document before the AsyncAPI parser sees it: a syntax error (the parser would
 * report the document's missing parts instead of the broken line), or aliases that expand without
 * bound ("billion laughs": the parser would expand them, for minutes and gigabytes).
 */
function yamlProblem(yaml: Document): { message: string; offset: number } | undefined {
  const syntaxError = yaml.errors[0];
  if (syntaxError) return { message: syntaxError.message.split('\n')[0]!.trim(), offset: syntaxError.pos[0] };
  const { isAlias, visit } = yamlModule();
  let firstAlias: number | undefined;
  visit(yaml, {
    Alias(_, node) {
      if (isAlias(node)) firstAlias = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  if (firstAlias === undefined) return undefined;
  try {
    yaml.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return undefined;
  } catch (error) {
    return { message: (error as Error).message, offset: firstAlias };
  }
}

function declarationsOf(operation: OperationInterface, service: string, locate: YamlLocator): DeclarationDraft[] {
  const position = locate(pointerPath(operation.jsonPath())) ?? { line: 1, column: 1 };
  const channel = operation.channels().all()[0];
  const base = { framework: 'asyncapi', transport: transportOf(channel), service, handlerName: operation.id() ?? 'operation', ...position };
  const own: DeclarationDraft = { ...base, kind: operation.isSend() ? 'publish' : 'subscribe', ...channelName(channel, operation.isReceive()) };
  const reply = operation.reply();
  if (!reply) return [own];
  // The reply goes the other way: a receiver sends it, a sender receives it.
  const replyKind = operation.isReceive() ? 'publish' : 'subscribe';
  const replyChannel = reply.channel();
  const runtime = reply.address()?.location();
  const name: { name: NameExpr; match?: 'glob' } =
    replyChannel && replyChannel.address() !== null
      ? channelName(replyChannel, replyKind === 'subscribe')
      : { name: { kind: 'dynamic', text: runtime ? `reply address ${runtime}` : 'reply address unknown' } };
  return [own, { ...base, kind: replyKind, handlerName: `${base.handlerName} (reply)`, ...name }];
}

/**
 * The event is the channel's address (a Kafka binding's topic when given). Parameters
 * (`user/{userId}/signedup`) make a subscription a pattern that matches concrete names; a
 * null address is runtime data, kept dynamic and reported, never guessed.
 */
function channelName(channel: ChannelInterface | undefined, isSubscription: boolean): { name: NameExpr; match?: 'glob' } {
  if (!channel) return { name: { kind: 'dynamic', text: 'operation without a channel' } };
  const topic = (channel.bindings().get('kafka')?.value() as { topic?: unknown } | undefined)?.topic;
  const address = typeof topic === 'string' && topic ? topic : channel.address();
  if (address === null || address === undefined) return { name: { kind: 'dynamic', text: `address: null (channel ${channel.id() ?? 'without an id'})` } };
  if (isSubscription && /\{[^}]+\}/.test(address)) return { name: { kind: 'literal', value: address.replace(/\{[^}]+\}/g, '*') }, match: 'glob' };
  return { name: { kind: 'literal', value: address } };
}

function transportOf(channel: ChannelInterface | undefined): string {
  const protocol = channel?.servers().all()[0]?.protocol();
  return protocol ? protocol.toLowerCase() : 'asyncapi';
}

/** `/channels/comment~1liked/subscribe` → ['channels', 'comment/liked', 'subscribe']. */
function pointerPath(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function empty(): ConfigFileSummary {
  return { declarations: [], routes: [], diagnostics: [] };
}
