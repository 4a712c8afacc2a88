import type { ts } from 'ts-morph';
import type { DeclarationDraft, HandlerRef } from '../../../model/summary.js';
import { unwrap } from '../../syntax.js';
import type { Adapter } from '../types.js';
import { FileValues } from './file-values.js';

const MODULE = 'node-nats-streaming';
const FRAMEWORK = 'node-nats-streaming';
/** The same subjects as core NATS: a streaming channel and a NATS subject of one name meet. */
const TRANSPORT = 'nats';

/** The client class, as imports of the module can name it (`Stan`, `nats.Stan`). */
const STAN_CLASSES = ['Stan', '*.Stan', 'default.Stan'].map((name) => ({ module: MODULE, name }));

/**
 * NATS Streaming (`node-nats-streaming`): `stan.publish(subject, data, callback?)`, and
 * `stan.subscribe(subject, queueGroup?, options?)` whose subscription's `on('message', handler)`
 * gives the handler. The client is `connect()`'s result in the file, or a value typed `Stan`.
 */
export const nodeNatsStreaming: Adapter = {
  id: 'node-nats-streaming',
  title: 'NATS Streaming (node-nats-streaming)',
  enablers: [MODULE],
  tokens: ['.publish(', '.subscribe('],
  docs: 'docs/adapters/node-nats-streaming.md',
  visitor(context) {
    const { ts } = context;
    const values = new FileValues(context);
    const subscriptions = new Map<ts.Node, DeclarationDraft>();
    const handlers = new Map<ts.Node, HandlerRef>();

    /** An empty object for a client made in the file, a `requires` for a typed one, nothing for anything else. */
    const clientRequirement = (receiver: ts.Expression) => {
      const connected = values.origins(receiver).some((origin) => ts.isCallExpression(origin) && values.isLibraryCall(origin, MODULE, 'connect'));
      if (connected) return {};
      const typed = context.typeOf(receiver);
      return typed ? { requires: { receiver: typed, oneOf: STAN_CLASSES } } : undefined;
    };

    /** The `subscribe` call a subscription comes from (seen before or after this call). */
    const subscribeCallOf = (subscription: ts.Expression) =>
      values.origins(subscription).find((origin) => {
        const callee = ts.isCallExpression(origin) ? unwrap(ts, origin.expression) : undefined;
        return callee !== undefined && ts.isPropertyAccessExpression(callee) && callee.name.text === 'subscribe';
      });

    return {
      call(node) {
        const callee = node.expression;
        if (!ts.isPropertyAccessExpression(callee)) return;
        const [first, second] = node.arguments;
        switch (callee.name.text) {
          case 'publish':
          case 'subscribe': {
            const requirement = first && clientRequirement(callee.expression);
            if (!first || !requirement) return;
            const kind = callee.name.text === 'publish' ? 'publish' : 'subscribe';
            const declaration = context.declare(node, { kind, framework: FRAMEWORK, transport: TRANSPORT, name: context.nameOf(first), ...requirement });
            if (kind === 'subscribe') subscriptions.set(node, declaration);
            return;
          }
          case 'on': {
            const event = first && unwrap(ts, first);
            if (!event || !ts.isStringLiteralLike(event) || event.text !== 'message' || !second) return;
            const source = subscribeCallOf(callee.expression);
            const handler = source && !handlers.has(source) ? context.handlerOf(second, 'on') : undefined;
            if (source && handler) handlers.set(source, handler);
            return;
          }
        }
      },
      finish() {
        for (const [source, declaration] of subscriptions) {
          const handler = handlers.get(source);
          if (handler) declaration.handler = handler;
        }
      },
    };
  },
};
