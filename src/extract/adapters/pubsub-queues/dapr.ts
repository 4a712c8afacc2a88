import type { ts } from 'ts-morph';
import type { TypeRef } from '../../../model/summary.js';
import { unwrap } from '../../syntax.js';
import type { Adapter, ExtractContext } from '../types.js';

const exportsOf = (names: string[]) => names.map((name) => ({ module: '@dapr/dapr', name }));
const DAPR_CLIENT = exportsOf(['DaprClient', '*.DaprClient', 'default.DaprClient']);
const DAPR_SERVER = exportsOf(['DaprServer', '*.DaprServer', 'default.DaprServer']);

const PUBLISH_METHODS = new Set(['publish', 'publishBulk']);

/** Where each subscribe method takes its callback: `subscribe(pubsub, topic, cb, route?)`, … */
const CALLBACK_ARGUMENT = new Map<string, number | 'options'>([
  ['subscribe', 2],
  ['bulkSubscribeWithDefaultConfig', 2],
  ['bulkSubscribeWithConfig', 2],
  ['subscribeToRoute', 3],
  ['subscribeWithOptions', 'options'],
]);

const FRAMEWORK = 'dapr';
const TRANSPORT = 'dapr';

/**
 * The Dapr JavaScript SDK: `client.pubsub.publish(pubsubName, topic, data)` on a DaprClient (also
 * `server.client`), and `server.pubsub.subscribe(pubsubName, topic, handler)` and its variants on
 * a DaprServer. The event is the topic; the pub/sub component's name is not part of it.
 */
export const dapr: Adapter = {
  id: 'dapr',
  title: 'Dapr JavaScript SDK',
  enablers: ['@dapr/dapr'],
  tokens: ['.pubsub.'],
  docs: 'docs/adapters/dapr.md',
  visitor(context) {
    const { ts } = context;
    return {
      call(node) {
        const callee = unwrap(ts, node.expression);
        if (!ts.isPropertyAccessExpression(callee)) return;
        const pubsub = unwrap(ts, callee.expression);
        if (!ts.isPropertyAccessExpression(pubsub) || pubsub.name.text !== 'pubsub') return;
        const method = callee.name.text;
        const [, topic] = node.arguments;
        if (!topic) return;
        if (PUBLISH_METHODS.has(method)) {
          const requires = clientOf(context, pubsub.expression);
          if (!requires) return;
          context.declare(node, { kind: 'publish', framework: FRAMEWORK, transport: TRANSPORT, name: context.nameOf(topic), requires });
          return;
        }
        const position = CALLBACK_ARGUMENT.get(method);
        if (position === undefined) return;
        const receiver = context.typeOf(pubsub.expression);
        if (!receiver) return;
        const callback = position === 'options' ? context.property(node.arguments[2], 'callback') : node.arguments[position];
        const handler = callback && context.handlerOf(callback, 'subscribe');
        context.declare(node, {
          kind: 'subscribe',
          framework: FRAMEWORK,
          transport: TRANSPORT,
          name: context.nameOf(topic),
          ...(handler ? { handler } : {}),
          requires: { receiver, oneOf: DAPR_SERVER },
        });
      },
    };
  },
};

/** A DaprClient, or the client of a DaprServer (`server.client.pubsub.publish(…)`). */
function clientOf(context: ExtractContext, receiver: ts.Expression): { receiver: TypeRef; oneOf: typeof DAPR_CLIENT } | undefined {
  const { ts } = context;
  const expression = unwrap(ts, receiver);
  if (ts.isPropertyAccessExpression(expression) && expression.name.text === 'client' && expression.expression.kind !== ts.SyntaxKind.ThisKeyword) {
    const server = context.typeOf(expression.expression);
    return server && { receiver: server, oneOf: DAPR_SERVER };
  }
  const client = context.typeOf(expression);
  return client && { receiver: client, oneOf: DAPR_CLIENT };
}
