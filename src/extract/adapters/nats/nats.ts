import type { ts } from 'ts-morph';
import type { DeclarationDraft, HandlerRef, MatchKind, NameExpr, TypeRef } from '../../../model/summary.js';
import { unwrap } from '../../syntax.js';
import type { Adapter, ExtractContext } from '../types.js';
import { FileValues } from './file-values.js';

const FRAMEWORK = 'nats';
const TRANSPORT = 'nats';
/** Request/reply travels on the graph's RPC transport (graph/topology.ts RPC_TRANSPORT): drawn, but not an event flow. */
const REQUEST_REPLY = 'rpc';

/** The client classes, as imports of 'nats' can name them (`NatsConnection`, `nats.NatsConnection`). */
const CLIENT_CLASSES = ['NatsConnection', 'JetStreamClient'].flatMap((name) =>
  [name, `*.${name}`, `default.${name}`].map((imported) => ({ module: 'nats', name: imported })),
);

/** Consumer settings that only a JetStream consumer configuration has. */
const CONSUMER_CONFIG_KEYS = ['durable_name', 'filter_subject', 'filter_subjects', 'ack_policy', 'deliver_policy'];

/**
 * What a receiver is: a connection (`await connect()`), its JetStream client (`nc.jetstream()`) or
 * manager, a JetStream consumer (`js.consumers.get()`), consumer options (`consumerOpts()`), or a
 * value whose declared type link must confirm (`typed`).
 */
type Role = 'connection' | 'jetstream' | 'manager' | 'consumer' | 'consumer-options' | 'typed';

interface Client {
  role: Role;
  /** The declared type at the root of the chain, when the chain starts at a typed value. */
  typed?: TypeRef;
}

/**
 * nats.js (`nats` v1 and v2): `publish`, `request` and `subscribe` on a connection, JetStream's
 * `js.publish`, `js.subscribe` / `js.pullSubscribe`, consumers (`js.consumers.get(stream, name)`
 * with `consume()`, `fetch()` or `next()`), and the streams and consumers a JetStream manager adds,
 * which route subjects into `stream:<stream>` and `stream:<stream>/<consumer>` channels.
 */
export const nats: Adapter = {
  id: 'nats',
  title: 'NATS (nats.js)',
  enablers: ['nats'],
  tokens: ['.publish(', '.request(', '.subscribe(', '.pullSubscribe(', '.consumers.', '.streams.'],
  docs: 'docs/adapters/nats.md',
  visitor(context) {
    const { ts } = context;
    const values = new FileValues(context);
    /** Consumers and option builders whose handler is found in a later call: source node → declarations. */
    const awaiting = new Map<ts.Node, DeclarationDraft[]>();
    const handlers = new Map<ts.Node, HandlerRef>();

    const clientOf = (expression: ts.Expression, depth = 0): Client | undefined => {
      if (depth > 8) return undefined;
      for (const origin of values.origins(expression)) {
        const client = clientOfOrigin(origin, depth);
        if (client) return client;
      }
      const typed = context.typeOf(expression);
      return typed ? { role: 'typed', typed } : undefined;
    };

    const clientOfOrigin = (origin: ts.Expression, depth = 0): Client | undefined => {
      if (!ts.isCallExpression(origin)) return undefined;
      if (values.isLibraryCall(origin, 'nats', 'connect')) return { role: 'connection' };
      if (values.isLibraryCall(origin, 'nats', 'consumerOpts')) return { role: 'consumer-options' };
      const callee = unwrap(ts, origin.expression);
      if (!ts.isPropertyAccessExpression(callee)) return undefined;
      const derived = (from: ts.Expression, role: Role, roles: Role[]): Client | undefined => {
        const client = clientOf(from, depth + 1);
        if (!client || (client.role !== 'typed' && !roles.includes(client.role))) return undefined;
        return { role, ...(client.typed ? { typed: client.typed } : {}) };
      };
      switch (callee.name.text) {
        case 'jetstream':
          return derived(callee.expression, 'jetstream', ['connection']);
        case 'jetstreamManager':
          return derived(callee.expression, 'manager', ['connection', 'jetstream']);
        case 'get': {
          const consumers = memberOwner(ts, callee.expression, 'consumers');
          return consumers && derived(consumers, 'consumer', ['jetstream']);
        }
        default:
          return undefined;
      }
    };

    const requirement = (client: Client) => (client.typed ? { requires: { receiver: client.typed, oneOf: CLIENT_CLASSES } } : {});

    /** The message callback among a call's arguments: `{ callback }` in options, or a function (nats v1). */
    const callbackOf = (args: readonly ts.Expression[], hint: string): HandlerRef | undefined => {
      for (const argument of args) {
        const options = values.origins(argument).find((origin) => ts.isObjectLiteralExpression(origin));
        const callback = options ? context.property(options, 'callback') : isFunctionLike(ts, unwrap(ts, argument)) ? argument : undefined;
        if (callback) return context.handlerOf(callback, functionName(ts, callback) ?? hint);
      }
      return undefined;
    };

    const subscribe = (node: ts.Node, name: NameExpr, client: Client, channel = false) =>
      context.declare(node, { kind: 'subscribe', framework: FRAMEWORK, transport: TRANSPORT, name, ...(channel ? {} : subjectMatch(name)), ...requirement(client) });

    const awaitHandler = (source: ts.Node, declaration: DeclarationDraft) => awaiting.set(source, [...(awaiting.get(source) ?? []), declaration]);

    return {
      call(node) {
        const callee = node.expression;
        if (!ts.isPropertyAccessExpression(callee)) return;
        const receiver = callee.expression;
        const [first, ...rest] = node.arguments;
        switch (callee.name.text) {
          case 'publish':
          case 'request': {
            const client = clientOf(receiver);
            if (!first || !client || !['connection', 'jetstream', 'typed'].includes(client.role)) return;
            const transport = callee.name.text === 'request' ? REQUEST_REPLY : TRANSPORT;
            context.declare(node, { kind: 'publish', framework: FRAMEWORK, transport, name: context.nameOf(first), ...requirement(client) });
            return;
          }
          case 'subscribe':
          case 'pullSubscribe': {
            const client = clientOf(receiver);
            const roles: Role[] = callee.name.text === 'subscribe' ? ['connection', 'jetstream', 'typed'] : ['jetstream', 'typed'];
            if (!first || !client || !roles.includes(client.role)) return;
            const declaration = subscribe(node, context.nameOf(first), client);
            const handler = values.loopHandler(node, 'messages') ?? callbackOf(rest, callee.name.text);
            if (handler) declaration.handler = handler;
            for (const argument of rest) {
              const options = values.origins(argument).find((origin) => clientOfOrigin(origin)?.role === 'consumer-options');
              if (options) awaitHandler(options, declaration);
            }
            return;
          }
          case 'get': {
            const owner = memberOwner(ts, receiver, 'consumers');
            const client = owner && clientOf(owner);
            if (!first || !client || (client.role !== 'jetstream' && client.role !== 'typed')) return;
            // The second argument names a durable consumer, or holds an ordered consumer's options.
            const [consumer] = rest;
            const options = consumer && ts.isObjectLiteralExpression(unwrap(ts, consumer)) ? consumer : undefined;
            const filters = subjectsOf(context, context.property(options, 'filterSubjects') ?? context.property(options, 'filter_subjects'));
            if (filters) for (const filter of filters) awaitHandler(node, subscribe(node, context.nameOf(filter), client));
            else awaitHandler(node, subscribe(node, channelName(context, first, options ? undefined : consumer), client, true));
            return;
          }
          case 'consume':
          case 'fetch':
          case 'next': {
            const source = values.origins(receiver).find((origin) => clientOfOrigin(origin)?.role === 'consumer');
            if (!source || handlers.has(source)) return;
            const handler = callee.name.text === 'next' ? values.handlerAround(node, 'next') : (callbackOf(node.arguments, callee.name.text) ?? values.loopHandler(node, 'messages'));
            if (handler) handlers.set(source, handler);
            return;
          }
          case 'callback': {
            const source = values.builderSource(receiver, (origin) => clientOfOrigin(origin)?.role === 'consumer-options');
            const handler = first && source && !handlers.has(source) ? context.handlerOf(first, 'callback') : undefined;
            if (source && handler) handlers.set(source, handler);
            return;
          }
          case 'add': {
            const streams = memberOwner(ts, receiver, 'streams');
            const owner = streams ?? memberOwner(ts, receiver, 'consumers');
            const client = owner && clientOf(owner);
            const last = node.arguments.at(-1);
            const config = last && values.origins(last).find((origin) => ts.isObjectLiteralExpression(origin));
            if (!first || !config || (client?.role !== 'manager' && client?.role !== 'typed')) return;
            if (streams && node.arguments.length === 1) addStream(context, config);
            if (!streams && node.arguments.length === 2) addConsumer(context, node, first, config);
            return;
          }
        }
      },
      finish() {
        for (const [source, declarations] of awaiting) {
          const handler = handlers.get(source);
          if (handler) for (const declaration of declarations) declaration.handler ??= handler;
        }
      },
    };
  },
};

/** `jsm.streams.add({ name, subjects })`: each subject (or pattern) routes into the stream's channel. */
function addStream(context: ExtractContext, config: ts.Expression): void {
  const stream = context.property(config, 'name');
  const subjects = subjectsOf(context, context.property(config, 'subjects'));
  if (!stream || !subjects) return;
  const to = channelName(context, stream);
  for (const subject of subjects) route(context, subject, context.nameOf(subject), to);
}

/**
 * `jsm.consumers.add(stream, { durable_name, filter_subject })`: the filtered subjects (else the
 * whole stream) route into the consumer's channel.
 */
function addConsumer(context: ExtractContext, node: ts.CallExpression, stream: ts.Expression, config: ts.Expression): void {
  const consumer = context.property(config, 'durable_name') ?? context.property(config, 'name');
  if (!consumer || !CONSUMER_CONFIG_KEYS.some((key) => context.property(config, key))) return;
  const to = channelName(context, stream, consumer);
  const filters = subjectsOf(context, context.property(config, 'filter_subjects') ?? context.property(config, 'filter_subject'));
  if (!filters?.length) context.route(node, { framework: FRAMEWORK, transport: TRANSPORT, from: channelName(context, stream), to });
  else for (const filter of filters) route(context, filter, context.nameOf(filter), to);
}

/** Messages published on a subject (or subject pattern) are delivered to a channel. */
function route(context: ExtractContext, node: ts.Node, from: NameExpr, to: NameExpr): void {
  const match = subjectMatch(from).match;
  context.route(node, { framework: FRAMEWORK, transport: TRANSPORT, from, ...(match ? { fromMatch: match } : {}), to });
}

/** The subjects of `subjects: [a, b]` or `filter_subject: a`. */
function subjectsOf(context: ExtractContext, expression: ts.Expression | undefined): ts.Expression[] | undefined {
  if (!expression) return undefined;
  const inner = unwrap(context.ts, expression);
  return context.ts.isArrayLiteralExpression(inner) ? inner.elements.filter((element) => !context.ts.isSpreadElement(element)) : [expression];
}

/** A JetStream stream's channel, `stream:ORDERS`, or one of its consumers', `stream:ORDERS/billing`. */
function channelName(context: ExtractContext, stream: ts.Expression, consumer?: ts.Expression): NameExpr {
  const parts: NameExpr[] = [{ kind: 'literal', value: 'stream:' }, context.nameOf(stream)];
  if (consumer) parts.push({ kind: 'literal', value: '/' }, context.nameOf(consumer));
  const written = parts.map((part) => (part.kind === 'literal' ? part.value : `\${${part.text}}`)).join('');
  return parts.every((part) => part.kind === 'literal') ? { kind: 'literal', value: written } : { kind: 'template', parts, text: written };
}

/**
 * A subject is a pattern when it has a `*` or `>` token, or when the file cannot see all of it
 * (an imported constant, a wrapper's parameter, a subclass's field): `match` is fixed here, before
 * link resolves the name, and a pattern without wildcards still matches only its own subject.
 */
function subjectMatch(name: NameExpr): { match?: MatchKind } {
  return mayHaveWildcard(name) ? { match: 'nats' } : {};
}

function mayHaveWildcard(name: NameExpr): boolean {
  switch (name.kind) {
    case 'literal':
      return name.value.split('.').some((token) => token === '*' || token === '>');
    case 'template':
      return name.parts.some(mayHaveWildcard);
    case 'env':
      return mayHaveWildcard(name.fallback);
    case 'dynamic':
    case 'class':
      return false;
    default:
      return true;
  }
}

/** `owner` in `owner.<member>`. */
function memberOwner(ts: ExtractContext['ts'], expression: ts.Expression, member: string): ts.Expression | undefined {
  const inner = unwrap(ts, expression);
  return ts.isPropertyAccessExpression(inner) && inner.name.text === member ? inner.expression : undefined;
}

function isFunctionLike(ts: ExtractContext['ts'], node: ts.Node): boolean {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

/** `function onOrder(msg) {…}` passed inline is named after itself. */
function functionName(ts: ExtractContext['ts'], expression: ts.Expression): string | undefined {
  const inner = unwrap(ts, expression);
  return ts.isFunctionExpression(inner) && inner.name ? inner.name.text : undefined;
}
