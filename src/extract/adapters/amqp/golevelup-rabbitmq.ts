import type { ts } from 'ts-morph';
import type { NameExpr } from '../../../model/summary.js';
import type { Adapter } from '../types.js';
import { exchangeKeyName, isNameLike, REQUEST_REPLY } from './amqplib.js';

const FRAMEWORK = 'golevelup-rabbitmq';
const TRANSPORT = 'amqp';

const AMQP_CONNECTION = [{ module: '@golevelup/nestjs-rabbitmq', name: 'AmqpConnection' }];

/** The handler decorators and the kind of handler each declares (`RabbitHandler` says it in `type`). */
const HANDLER_DECORATORS = new Map<string, HandlerKind | undefined>([
  ['RabbitSubscribe', 'subscribe'],
  ['RabbitRPC', 'rpc'],
  ['RabbitHandler', undefined],
]);

type HandlerKind = 'subscribe' | 'rpc';

/**
 * @golevelup/nestjs-rabbitmq: `@RabbitSubscribe` / `@RabbitRPC` methods consume a queue bound to
 * an exchange with routing keys (exchanges are topic exchanges unless configured otherwise), and
 * an injected `AmqpConnection` publishes (`publish`) or makes requests (`request`).
 */
export const golevelupRabbitmq: Adapter = {
  id: 'golevelup-rabbitmq',
  title: '@golevelup/nestjs-rabbitmq',
  enablers: ['@golevelup/nestjs-rabbitmq'],
  tokens: ['RabbitSubscribe(', 'RabbitRPC(', 'RabbitHandler(', '.publish(', '.publish<', '.request(', '.request<'],
  docs: 'docs/adapters/golevelup-rabbitmq.md',
  visitor(context) {
    const { ts } = context;

    const handlerKind = (type: ts.Expression | undefined): HandlerKind | undefined => {
      const name = type && context.nameOf(type);
      return name?.kind === 'literal' && (name.value === 'subscribe' || name.value === 'rpc') ? name.value : undefined;
    };

    const exchangeKey = (exchange: ts.Expression, key: ts.Expression) =>
      exchangeKeyName(context.nameOf(exchange), context.text(exchange), context.nameOf(key), context.text(key));

    return {
      decorator(node) {
        const call = node.expression;
        if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || !HANDLER_DECORATORS.has(call.expression.text)) return;
        const method = node.parent;
        if (!ts.isMethodDeclaration(method)) return;
        const [config] = call.arguments;
        const kind = HANDLER_DECORATORS.get(call.expression.text) ?? handlerKind(context.property(config, 'type'));
        if (!kind) return;
        const transport = kind === 'rpc' ? REQUEST_REPLY : TRANSPORT;
        const handler = context.handlerOf(method as unknown as ts.Expression, call.expression.text);
        const subscribe = (at: ts.Node, name: NameExpr, match?: 'amqp') =>
          context.declare(at, { kind: 'subscribe', framework: FRAMEWORK, transport, name, ...(match ? { match } : {}), ...(handler ? { handler } : {}) });

        const exchange = context.property(config, 'exchange');
        const queue = context.property(config, 'queue');
        const queueName = queue && context.nameOf(queue);
        const routingKey = context.property(config, 'routingKey');
        const keys = !routingKey ? [] : ts.isArrayLiteralExpression(routingKey) ? [...routingKey.elements] : [routingKey];
        const sources = exchange ? keys.map((key) => ({ key, name: exchangeKey(exchange, key) })) : [];
        if (queueName && !(queueName.kind === 'literal' && queueName.value === '')) {
          subscribe(node, queueName);
          for (const source of sources) context.route(source.key, { framework: FRAMEWORK, transport, from: source.name, fromMatch: 'amqp', to: queueName });
        } else if (sources.length > 0) {
          // Without a queue the library asserts a server-named one: the handler gets what its bindings let in.
          for (const source of sources) subscribe(source.key, source.name, 'amqp');
        } else {
          subscribe(node, { kind: 'dynamic', text: config ? context.text(config) : context.text(call) });
        }
      },
      call(node) {
        const callee = node.expression;
        if (!ts.isPropertyAccessExpression(callee)) return;
        const method = callee.name.text;
        if (method !== 'publish' && method !== 'request') return;
        const receiver = context.typeOf(callee.expression);
        if (!receiver) return;
        const [first, routingKey] = node.arguments;
        const exchange = method === 'publish' ? first : context.property(first, 'exchange');
        const key = method === 'publish' ? routingKey : context.property(first, 'routingKey');
        if (!exchange || !key || !isNameLike(ts, exchange) || !isNameLike(ts, key)) return;
        context.declare(node, {
          kind: 'publish',
          framework: FRAMEWORK,
          transport: method === 'request' ? REQUEST_REPLY : TRANSPORT,
          name: exchangeKey(exchange, key),
          requires: { receiver, oneOf: AMQP_CONNECTION },
        });
      },
    };
  },
};
