import type { ts } from 'ts-morph';
import type { DeclarationDraft, HandlerRef, MatchKind, TypeRef } from '../../../model/summary.js';
import { lookupLocal } from '../../scope.js';
import { isFunctionLikeNode, propertyNameText, symRefOf, typeRefOfNew, unwrap } from '../../syntax.js';
import type { Adapter, EventParam, ExtractContext } from '../types.js';

const exportsOf = (module: string, names: string[]) => names.map((name) => ({ module, name }));

/**
 * What a Redis client is, as link can confirm it: ioredis's class (default or named export, and
 * its Cluster), node-redis's client types, and node-redis's factories (a client made by
 * `createClient()` is proven by the factory it came from).
 */
const REDIS_CLIENTS = [
  ...exportsOf('ioredis', ['default', 'Redis', '*', 'Cluster', 'default.Cluster', '*.Cluster', 'Redis.Cluster']),
  ...exportsOf('redis', ['createClient', '*.createClient', 'default.createClient', 'createCluster', '*.createCluster', 'RedisClientType', 'RedisClusterType']),
];

const PUBLISH_METHODS = new Set(['publish', 'spublish', 'sPublish']);
const LISTEN_METHODS = new Set(['on', 'once', 'addListener']);
/** Each subscribe command, its pattern syntax, and the client events that deliver its messages (ioredis, node-redis v3). */
const SUBSCRIBE_METHODS = new Map<string, { match?: MatchKind; messageEvents: string[] }>([
  ['subscribe', { messageEvents: ['message', 'messageBuffer', 'message_buffer'] }],
  ['ssubscribe', { messageEvents: ['smessage', 'smessageBuffer'] }],
  ['sSubscribe', { messageEvents: [] }],
  ['psubscribe', { match: 'glob', messageEvents: ['pmessage', 'pmessageBuffer', 'pmessage_buffer'] }],
  ['pSubscribe', { match: 'glob', messageEvents: [] }],
]);
const MESSAGE_EVENTS = new Set([...SUBSCRIBE_METHODS.values()].flatMap((method) => method.messageEvents));

/** Where each listener receives the channel: `(channel, message)`, `(pattern, channel, message)`, node-redis `(message, channel)`. */
const CHANNEL_PARAM = {
  message: { index: 0, path: [] },
  pattern: { index: 1, path: [] },
  listener: { index: 1, path: [] },
} satisfies Record<string, EventParam>;

const CALLBACK_NAME = /^(handler|listener|callback|cb|fn|on[A-Z]\w*)$/;

const FRAMEWORK = 'redis';
const TRANSPORT = 'redis';

/**
 * Redis pub/sub with ioredis and node-redis: `publish(channel, message)`; `subscribe` /
 * `psubscribe` with node-redis v4's listener argument, or paired with the `'message'` /
 * `'pmessage'` listener of the same client in the file (ioredis, node-redis v3).
 */
export const redisPubsub: Adapter = {
  id: 'redis-pubsub',
  title: 'Redis pub/sub (ioredis, node-redis)',
  enablers: ['ioredis', 'redis'],
  tokens: ['.publish(', '.spublish(', '.sPublish(', 'ubscribe('],
  docs: 'docs/adapters/redis-pubsub.md',
  visitor(context) {
    const { ts } = context;
    /** Subscriptions still waiting for their client's message listener. */
    const waiting: Array<{ client: string; events: string[]; declaration: DeclarationDraft }> = [];
    /** Message listeners by client and client event. */
    const listeners = new Map<string, HandlerRef>();

    return {
      call(node) {
        const callee = unwrap(ts, node.expression);
        if (!ts.isPropertyAccessExpression(callee)) return;
        const method = callee.name.text;
        if (LISTEN_METHODS.has(method)) {
          const [event, listener] = node.arguments;
          const eventName = event && ts.isStringLiteralLike(event) ? event.text : undefined;
          if (!eventName || !listener || !MESSAGE_EVENTS.has(eventName)) return;
          const handler = context.handlerOf(listener, eventName, { eventParam: eventName.startsWith('p') ? CHANNEL_PARAM.pattern : CHANNEL_PARAM.message });
          if (handler) listeners.set(`${clientKey(context, callee.expression)}\0${eventName}`, handler);
          return;
        }
        const subscription = SUBSCRIBE_METHODS.get(method);
        if (!subscription && !PUBLISH_METHODS.has(method)) return;
        const receiver = clientOf(context, callee.expression);
        if (!receiver) return;
        const requires = { receiver, oneOf: REDIS_CLIENTS };
        if (!subscription) {
          const [channel] = node.arguments;
          if (channel && node.arguments.length >= 2) {
            context.declare(node, { kind: 'publish', framework: FRAMEWORK, transport: TRANSPORT, name: context.nameOf(channel), requires });
          }
          return;
        }
        const { channels, callback } = subscribeArguments(context, node);
        const listener = callback && isMessageListener(context, callback) ? callback : undefined;
        const handler = listener && context.handlerOf(listener, method, { eventParam: CHANNEL_PARAM.listener });
        for (const channel of channels) {
          const declaration = context.declare(channels.length === 1 ? node : channel, {
            kind: 'subscribe',
            framework: FRAMEWORK,
            transport: TRANSPORT,
            name: context.nameOf(channel),
            ...(subscription.match ? { match: subscription.match } : {}),
            ...(handler ? { handler } : {}),
            requires,
          });
          if (!handler) waiting.push({ client: clientKey(context, callee.expression), events: subscription.messageEvents, declaration });
        }
      },
      finish() {
        for (const { client, events, declaration } of waiting) {
          const handler = events.map((event) => listeners.get(`${client}\0${event}`)).find(Boolean);
          if (handler) declaration.handler = handler;
        }
      },
    };
  },
};

/** The channels of a subscribe call (arguments or array elements), and its trailing callback if any. */
function subscribeArguments(context: ExtractContext, node: ts.CallExpression): { channels: ts.Expression[]; callback?: ts.Expression } {
  const { ts } = context;
  const channels: ts.Expression[] = [];
  let callback: ts.Expression | undefined;
  for (const argument of node.arguments) {
    const expression = unwrap(ts, argument);
    if (expression.kind === ts.SyntaxKind.TrueKeyword || expression.kind === ts.SyntaxKind.FalseKeyword) continue;
    if (isFunctionReference(context, expression)) callback = argument;
    else if (ts.isArrayLiteralExpression(expression)) channels.push(...expression.elements);
    else channels.push(argument);
  }
  return callback ? { channels, callback } : { channels };
}

/** A function written or named here: an inline function, `this.method`, `fn.bind(this)`, a local function. */
function isFunctionReference(context: ExtractContext, expression: ts.Expression): boolean {
  const { ts } = context;
  if (isFunctionLikeNode(ts, expression)) return true;
  if (ts.isCallExpression(expression)) {
    const callee = unwrap(ts, expression.expression);
    return ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind';
  }
  if (ts.isPropertyAccessExpression(expression) && expression.expression.kind === ts.SyntaxKind.ThisKeyword) {
    return classMember(ts, expression) !== undefined;
  }
  if (!ts.isIdentifier(expression)) return false;
  const binding = lookupLocal(ts, expression.text, expression);
  if (binding.kind === 'function') return true;
  // A wrapper's callback parameter: typed as a function, or named like one.
  if (binding.kind === 'parameter') return (binding.declaration.type !== undefined && ts.isFunctionTypeNode(binding.declaration.type)) || CALLBACK_NAME.test(expression.text);
  if (binding.kind === 'const') return isFunctionLikeNode(ts, unwrap(ts, binding.initializer));
  if (binding.kind !== 'module') return false;
  return context.sourceFile.statements.some(
    (statement) =>
      (ts.isFunctionDeclaration(statement) && statement.name?.text === expression.text) ||
      (ts.isVariableStatement(statement) &&
        statement.declarationList.declarations.some(
          (d) => ts.isIdentifier(d.name) && d.name.text === expression.text && d.initializer !== undefined && isFunctionLikeNode(ts, unwrap(ts, d.initializer)),
        )),
  );
}

/**
 * ioredis's subscribe callback reports completion, `(err, count)`; node-redis v4's receives each
 * message, `(message, channel)`. Only the second is a handler.
 */
function isMessageListener(context: ExtractContext, callback: ts.Expression): boolean {
  const { ts } = context;
  const expression = unwrap(ts, callback);
  if (!isFunctionLikeNode(ts, expression)) return true;
  const first = expression.parameters[0];
  return !(first && ts.isIdentifier(first.name) && /^(e|err|error)$/i.test(first.name.text));
}

/**
 * The syntactic proof that a receiver is a Redis client: the `new` or factory call it was made
 * with (following variables, `this` fields, `.duplicate()`, `.connect()` and `.on()` chains), or
 * else its declared type or module-level value, for link to resolve.
 */
function clientOf(context: ExtractContext, receiver: ts.Expression, depth = 0): TypeRef | undefined {
  const { ts } = context;
  const expression = unwrap(ts, receiver);
  if (depth > 8) return undefined;
  if (ts.isAwaitExpression(expression)) return clientOf(context, expression.expression, depth + 1);
  if (ts.isNewExpression(expression)) return typeRefOfNew(ts, expression);
  if (ts.isCallExpression(expression)) {
    const callee = unwrap(ts, expression.expression);
    if (ts.isPropertyAccessExpression(callee) && ['duplicate', 'connect', 'on'].includes(callee.name.text)) {
      return clientOf(context, callee.expression, depth + 1);
    }
    const factory = symRefOf(ts, callee);
    return factory && { type: factory };
  }
  const initializer = initializerOf(context, expression);
  if (initializer) return clientOf(context, initializer, depth + 1);
  return context.typeOf(expression);
}

/** What a variable or `this` field was initialized with, when the syntax shows it. */
function initializerOf(context: ExtractContext, expression: ts.Expression): ts.Expression | undefined {
  const { ts } = context;
  if (ts.isIdentifier(expression)) {
    const binding = lookupLocal(ts, expression.text, expression);
    if (binding.kind === 'const' || binding.kind === 'variable') {
      const { declaration } = binding;
      return declaration.type ? undefined : declaration.initializer;
    }
    if (binding.kind !== 'module') return undefined;
    for (const statement of context.sourceFile.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      const declaration = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === expression.text);
      if (declaration) return declaration.type ? undefined : declaration.initializer;
    }
    return undefined;
  }
  if (!ts.isPropertyAccessExpression(expression) || expression.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  const owner = enclosingClass(ts, expression);
  const field = expression.name.text;
  const member = owner?.members.find((m) => ts.isPropertyDeclaration(m) && propertyNameText(ts, m.name) === field);
  if (member && ts.isPropertyDeclaration(member)) return member.type ? undefined : member.initializer;
  const constructor = owner?.members.find(ts.isConstructorDeclaration);
  for (const statement of constructor?.body?.statements ?? []) {
    if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression)) continue;
    const { left, operatorToken, right } = statement.expression;
    if (operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(left)) continue;
    if (left.expression.kind === ts.SyntaxKind.ThisKeyword && left.name.text === field) return right;
  }
  return undefined;
}

function enclosingClass(ts: ExtractContext['ts'], node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassLike(current)) return current;
  }
  return undefined;
}

function classMember(ts: ExtractContext['ts'], expression: ts.PropertyAccessExpression): ts.ClassElement | undefined {
  return enclosingClass(ts, expression)?.members.find((member) => propertyNameText(ts, member.name) === expression.name.text);
}

/** Which client a call is made on, by its text: `sub`, `this.subscriber`. */
function clientKey(context: ExtractContext, expression: ts.Expression): string {
  return context.text(expression).replace(/\s+/g, '');
}
