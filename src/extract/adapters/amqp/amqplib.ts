import type { ts } from 'ts-morph';
import type { DeclarationDraft, MatchKind, NameExpr } from '../../../model/summary.js';
import { unwrap } from '../../syntax.js';
import type { Adapter, ExtractContext } from '../types.js';

/** Request/reply travels on the graph's RPC transport (graph/topology.ts RPC_TRANSPORT): drawn, but not an event flow. */
export const REQUEST_REPLY = 'rpc';

const FRAMEWORK = 'amqplib';
const TRANSPORT = 'amqp';

/** The channel classes, as imports of each module can name them (`Channel`, `amqp.Channel`, `amqplib.default.Channel`). */
const CHANNEL_CLASSES = [
  ...['amqplib', 'amqplib/callback_api'].flatMap((module) => ['Channel', 'ConfirmChannel'].map((name) => ({ module, name }))),
  { module: 'amqp-connection-manager', name: 'ChannelWrapper' },
].flatMap(({ module, name }) => [name, `*.${name}`, `default.${name}`].map((imported) => ({ module, name: imported })));

/**
 * Text showing that a file works with AMQP channels: it imports a client, or makes calls only a
 * channel makes. Without it, a `publish(a, b, c)` on an untyped receiver is not taken for AMQP.
 */
const CHANNEL_FILE =
  /['"](?:amqplib|amqp-connection-manager)(?:\/[\w-]+)?['"]|\.(?:assertQueue|assertExchange|bindQueue|sendToQueue|consume|createChannel|createConfirmChannel|prefetch)\(/;

type ExchangeType = 'topic' | 'fanout' | 'direct' | 'headers';

/** RabbitMQ's pseudo-queue for replies to the channel that sent a request. */
const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

/** Exchanges every broker has, with their types. */
const BUILTIN_EXCHANGES: Record<string, ExchangeType> = {
  'amq.topic': 'topic',
  'amq.fanout': 'fanout',
  'amq.direct': 'direct',
  'amq.headers': 'headers',
  'amq.match': 'headers',
};

/** A queue as the code refers to it: by name, or the server-named queue one `assertQueue('')` returned. */
interface QueueRef {
  /** Equal for references to the same queue within a file. */
  key: string;
  name: NameExpr;
  serverNamed: boolean;
}

type SubscribeDraft = Omit<DeclarationDraft, 'name' | 'line' | 'column' | 'function'>;

interface Binding {
  node: ts.CallExpression;
  queue: QueueRef;
  exchange: NameExpr;
  exchangeText: string;
  pattern: NameExpr;
  patternText: string;
  /** The function holding the call: a consume pairs with bindings of its own function. */
  scope: ts.Node;
  /** Turned into the consumer's own subscriptions instead of a route. */
  absorbed: boolean;
}

/**
 * amqplib channels (and amqp-connection-manager's ChannelWrapper): `publish(exchange, key, …)`
 * publishes `<exchange>/<key>`, `sendToQueue(queue, …)` publishes `<queue>`, `bindQueue` routes
 * `<exchange>/<pattern>` into the queue (by the exchange's type, as `assertExchange` declared it
 * in the file), and `consume(queue, handler)` subscribes the queue.
 */
export const amqplib: Adapter = {
  id: 'amqplib',
  title: 'amqplib',
  enablers: ['amqplib', 'amqp-connection-manager'],
  tokens: ['.publish(', '.sendToQueue(', '.bindQueue(', '.consume('],
  docs: 'docs/adapters/amqplib.md',
  visitor(context) {
    const { ts } = context;
    const isChannelFile = CHANNEL_FILE.test(context.sourceFile.text);
    const exchangeTypes = new Map<string, ExchangeType>();
    const queueVariables = new Map<ts.Node, Map<string, { queue: QueueRef; holds: 'reply' | 'name' }>>();
    const bindings: Binding[] = [];
    const consumedBindings: Array<{ binding: Binding; declaration: DeclarationDraft }> = [];
    const consumers: Array<{ onMessage: ts.Expression; declarations: DeclarationDraft[] }> = [];
    const replies: ts.Node[] = [];

    /**
     * A receiver typed in the file must be a channel. One whose type the file does not show (the
     * usual `await connection.createChannel()`) counts when the call's shape is trusted; an imported
     * or module-level value counts then too (its type may be written nowhere), else link checks it.
     */
    const channelCall = (receiver: ts.Expression, trustedByShape: boolean): { requires?: DeclarationDraft['requires'] } | undefined => {
      const type = context.typeOf(receiver);
      if (!type) return trustedByShape ? {} : undefined;
      if ('value' in type && trustedByShape) return {};
      return { requires: { receiver: type, oneOf: CHANNEL_CLASSES } };
    };

    const rememberQueueVariable = (scope: ts.Node, name: ts.BindingName, queue: QueueRef) => {
      const variables = queueVariables.get(scope) ?? new Map();
      queueVariables.set(scope, variables);
      if (ts.isIdentifier(name)) variables.set(name.text, { queue, holds: 'reply' });
      else if (ts.isObjectBindingPattern(name)) {
        for (const element of name.elements) {
          const property = element.propertyName ?? element.name;
          if (ts.isIdentifier(property) && property.text === 'queue' && ts.isIdentifier(element.name)) {
            variables.set(element.name.text, { queue, holds: 'name' });
          }
        }
      }
    };

    /** Where `assertQueue`'s reply lands: `const q = await …`, `const { queue } = …`, a callback's or `then`'s parameter. */
    const rememberAssertedQueue = (node: ts.CallExpression, queue: QueueRef) => {
      let parent = node.parent;
      while (ts.isAwaitExpression(parent) || ts.isParenthesizedExpression(parent)) parent = parent.parent;
      if (ts.isVariableDeclaration(parent)) rememberQueueVariable(scopeOf(ts, parent), parent.name, queue);
      const callback = node.arguments.at(-1);
      if (callback && isFunction(ts, callback) && callback.parameters[1]) rememberQueueVariable(callback, callback.parameters[1].name, queue);
      const then = ts.isPropertyAccessExpression(parent) && parent.name.text === 'then' && ts.isCallExpression(parent.parent) ? parent.parent.arguments[0] : undefined;
      if (then && isFunction(ts, then) && then.parameters[0]) rememberQueueVariable(then, then.parameters[0].name, queue);
    };

    /** `q.queue` or `queue` bound to an asserted queue, else the queue named by the expression. */
    const queueOf = (expression: ts.Expression): QueueRef => {
      const inner = unwrap(ts, expression);
      const reference = ts.isPropertyAccessExpression(inner) && inner.name.text === 'queue' ? unwrap(ts, inner.expression) : inner;
      if (ts.isIdentifier(reference)) {
        const holds = reference === inner ? 'name' : 'reply';
        for (let scope: ts.Node | undefined = reference.parent; scope; scope = scope.parent) {
          const variable = queueVariables.get(scope)?.get(reference.text);
          if (variable?.holds !== holds) continue;
          // A server-named queue's name is only known at run time: keep what the code wrote.
          return variable.queue.serverNamed ? { ...variable.queue, name: { kind: 'dynamic', text: context.text(expression) } } : variable.queue;
        }
      }
      return namedQueue(context.nameOf(expression));
    };

    /** What a binding lets into its queue, by the exchange's type (topic when the file does not say). */
    const sourceOf = (binding: Binding): { name: NameExpr; match?: MatchKind } => {
      const type = (binding.exchange.kind === 'literal' && BUILTIN_EXCHANGES[binding.exchange.value]) || exchangeTypes.get(keyOf(binding.exchange)) || 'topic';
      if (type === 'fanout' || type === 'headers') {
        return { name: exchangeKeyName(binding.exchange, binding.exchangeText, { kind: 'literal', value: '#' }, `${binding.patternText} (${type})`), match: 'amqp' };
      }
      const name = exchangeKeyName(binding.exchange, binding.exchangeText, binding.pattern, binding.patternText);
      return type === 'direct' ? { name } : { name, match: 'amqp' };
    };

    return {
      call(node) {
        const callee = node.expression;
        if (!ts.isPropertyAccessExpression(callee)) return;
        const args = node.arguments;
        switch (callee.name.text) {
          case 'publish': {
            const [exchange, routingKey, content, options] = args;
            if (!exchange || !routingKey || !content || args.length > 4 || !isNameLike(ts, exchange) || !isNameLike(ts, routingKey)) return;
            const requirement = channelCall(callee.expression, isChannelFile || isBuffer(ts, content));
            if (!requirement) return;
            context.declare(node, {
              kind: 'publish',
              framework: FRAMEWORK,
              transport: hasReplyTo(context, options) ? REQUEST_REPLY : TRANSPORT,
              name: exchangeKeyName(context.nameOf(exchange), context.text(exchange), context.nameOf(routingKey), context.text(routingKey)),
              ...requirement,
            });
            return;
          }
          case 'sendToQueue': {
            const [queue, content, options] = args;
            if (!queue || !content || args.length > 4 || !isNameLike(ts, queue)) return;
            // A reply goes back to whoever asked, like a return value: not an event.
            if (/(^|\.)replyTo$/.test(context.text(queue))) {
              replies.push(node);
              return;
            }
            context.declare(node, {
              kind: 'publish',
              framework: FRAMEWORK,
              transport: hasReplyTo(context, options) ? REQUEST_REPLY : TRANSPORT,
              name: queueOf(queue).name,
              ...channelCall(callee.expression, true),
            });
            return;
          }
          case 'assertExchange': {
            const [exchange, type] = args;
            const typeName = type && context.nameOf(type);
            if (exchange && typeName?.kind === 'literal' && isExchangeType(typeName.value)) exchangeTypes.set(keyOf(context.nameOf(exchange)), typeName.value);
            return;
          }
          case 'assertQueue': {
            const [queue] = args;
            const name = queue ? context.nameOf(queue) : undefined;
            const serverNamed = !name || (name.kind === 'literal' && name.value === '');
            rememberAssertedQueue(node, serverNamed ? { key: `server-named@${node.pos}`, name: { kind: 'dynamic', text: '' }, serverNamed } : namedQueue(name));
            return;
          }
          case 'bindQueue': {
            const [queue, exchange, pattern] = args;
            if (!queue || !exchange || !isNameLike(ts, queue) || !isNameLike(ts, exchange)) return;
            bindings.push({
              node,
              queue: queueOf(queue),
              exchange: context.nameOf(exchange),
              exchangeText: context.text(exchange),
              pattern: pattern ? context.nameOf(pattern) : { kind: 'literal', value: '' },
              patternText: pattern ? context.text(pattern) : "''",
              scope: scopeOf(ts, node),
              absorbed: false,
            });
            return;
          }
          case 'consume': {
            const [queueArgument, onMessage] = args;
            if (!queueArgument || !onMessage || args.length > 4 || !isNameLike(ts, queueArgument) || !isHandlerLike(ts, onMessage)) return;
            const queue = queueOf(queueArgument);
            const scope = scopeOf(ts, node);
            const paired = bindings.filter((binding) => binding.queue.key === queue.key && (queue.serverNamed || binding.scope === scope));
            // Only replies reach a server-named queue that nothing binds, or the direct reply-to pseudo-queue.
            if ((queue.serverNamed && paired.length === 0) || keyOf(queue.name) === `=${DIRECT_REPLY_TO}`) return;
            const handler = context.handlerOf(onMessage, 'consume');
            const draft: SubscribeDraft = { kind: 'subscribe', framework: FRAMEWORK, transport: TRANSPORT, ...(handler ? { handler } : {}), ...channelCall(callee.expression, true) };
            const consumer = { onMessage, declarations: [] as DeclarationDraft[] };
            consumers.push(consumer);
            // A server-named queue has no name to subscribe to, and a route whose names come from a
            // wrapper's parameters is never instantiated: the consumer subscribes to what its bindings let in.
            const subscribesToBindings = queue.serverNamed || [queue.name, ...paired.flatMap((binding) => [binding.exchange, binding.pattern])].some(dependsOnCallSite);
            if (!subscribesToBindings || paired.length === 0) {
              consumer.declarations.push(context.declare(node, { ...draft, name: queue.name }));
              return;
            }
            for (const binding of paired) {
              binding.absorbed = true;
              const declaration = context.declare(node, { ...draft, name: binding.pattern });
              consumer.declarations.push(declaration);
              consumedBindings.push({ binding, declaration });
            }
            return;
          }
        }
      },
      finish() {
        for (const { binding, declaration } of consumedBindings) Object.assign(declaration, sourceOf(binding));
        // A consumer that replies to its messages serves requests (the RPC pattern).
        for (const { onMessage, declarations } of consumers) {
          if (!replies.some((reply) => reply.pos >= onMessage.pos && reply.end <= onMessage.end)) continue;
          for (const declaration of declarations) declaration.transport = REQUEST_REPLY;
        }
        for (const binding of bindings) {
          if (binding.absorbed) continue;
          const source = sourceOf(binding);
          context.route(binding.node, {
            framework: FRAMEWORK,
            transport: TRANSPORT,
            from: source.name,
            ...(source.match ? { fromMatch: source.match } : {}),
            to: binding.queue.name,
          });
        }
      },
    };
  },
};

/**
 * The event of a message published to an exchange with a routing key: `<exchange>/<key>`. The
 * default exchange (`''`) delivers straight to the queue the key names, so the event is `<key>`.
 */
export function exchangeKeyName(exchange: NameExpr, exchangeText: string, key: NameExpr, keyText: string): NameExpr {
  if (exchange.kind === 'literal' && exchange.value === '') return key;
  if (exchange.kind === 'literal' && key.kind === 'literal') {
    return { kind: 'literal', value: `${exchange.value}/${key.value}`, ...(exchange.constant || key.constant ? { constant: true } : {}) };
  }
  return { kind: 'template', parts: [exchange, { kind: 'literal', value: '/' }, key], text: `${exchangeText}, ${keyText}` };
}

function namedQueue(name: NameExpr): QueueRef {
  return { key: keyOf(name), name, serverNamed: false };
}

/** Equal for names written the same way (or with the same literal value) within a file. */
function keyOf(name: NameExpr): string {
  return name.kind === 'literal' ? `=${name.value}` : name.text;
}

/** True when the name comes from the call site of its function: a parameter, or a field subclasses set. */
function dependsOnCallSite(name: NameExpr): boolean {
  switch (name.kind) {
    case 'param':
      return true;
    case 'ref':
      return name.ref.name === 'this';
    case 'template':
      return name.parts.some(dependsOnCallSite);
    case 'env':
      return dependsOnCallSite(name.fallback);
    default:
      return false;
  }
}

function isExchangeType(value: string): value is ExchangeType {
  return value === 'topic' || value === 'fanout' || value === 'direct' || value === 'headers';
}

/** An argument that can hold a name (not a literal object, array, function, number or boolean). */
export function isNameLike(ts: ExtractContext['ts'], expression: ts.Expression): boolean {
  const inner = unwrap(ts, expression);
  return !(
    ts.isObjectLiteralExpression(inner) ||
    ts.isArrayLiteralExpression(inner) ||
    isFunction(ts, inner) ||
    ts.isNumericLiteral(inner) ||
    ts.isRegularExpressionLiteral(inner) ||
    inner.kind === ts.SyntaxKind.TrueKeyword ||
    inner.kind === ts.SyntaxKind.FalseKeyword ||
    inner.kind === ts.SyntaxKind.NullKeyword
  );
}

/** A message handler: a function, a reference to one, `this.method.bind(this)` or a call wrapping one. */
function isHandlerLike(ts: ExtractContext['ts'], expression: ts.Expression): boolean {
  const inner = unwrap(ts, expression);
  return isFunction(ts, inner) || ts.isIdentifier(inner) || ts.isPropertyAccessExpression(inner) || ts.isCallExpression(inner);
}

/** amqplib's content must be a Buffer: `Buffer.from(…)`, `Buffer.alloc(…)`, `new Buffer(…)`. */
function isBuffer(ts: ExtractContext['ts'], expression: ts.Expression): boolean {
  const inner = unwrap(ts, expression);
  const constructed = ts.isCallExpression(inner) && ts.isPropertyAccessExpression(inner.expression) ? inner.expression.expression : ts.isNewExpression(inner) ? inner.expression : undefined;
  return constructed !== undefined && ts.isIdentifier(constructed) && constructed.text === 'Buffer';
}

/** Publish options naming a reply queue: the RPC pattern's request. */
function hasReplyTo(context: ExtractContext, options: ts.Expression | undefined): boolean {
  return context.property(options, 'replyTo') !== undefined;
}

function isFunction(ts: ExtractContext['ts'], node: ts.Node): node is ts.ArrowFunction | ts.FunctionExpression {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}

/** The nearest function around a node (or the file). */
function scopeOf(ts: ExtractContext['ts'], node: ts.Node): ts.Node {
  let current = node.parent;
  while (!ts.isSourceFile(current) && !ts.isFunctionLike(current)) current = current.parent;
  return current;
}
