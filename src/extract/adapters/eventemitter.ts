import type { Adapter } from './types.js';

const EMITTER_MODULES = ['events', 'node:events', 'eventemitter3'];

/**
 * The exports that are Node's EventEmitter (or a drop-in), as imports of each module can name them:
 * the class is the module itself and also its `EventEmitter` property (`new events.EventEmitter()`).
 */
const EMITTER_CLASSES = EMITTER_MODULES.flatMap((module) =>
  ['EventEmitter', 'default', '*', '*.EventEmitter', 'default.EventEmitter'].map((name) => ({ module, name })),
);

const SUBSCRIBE_METHODS = new Set(['on', 'once', 'addListener', 'prependListener', 'prependOnceListener']);

/** EventEmitter's own events, not part of any workflow. */
const RESERVED_EVENTS = new Set(['error', 'newListener', 'removeListener']);

/**
 * Node's EventEmitter: `emit`, `on`, `once`, `addListener` on instances of EventEmitter and its
 * subclasses, as far as the syntax shows the receiver's type (link confirms the class chain).
 * Events are in-process: they connect only within one service.
 */
export const eventemitter: Adapter = {
  id: 'eventemitter',
  title: 'Node.js EventEmitter',
  enablers: [],
  builtin: true,
  tokens: ['.emit(', '.on(', '.once(', '.addListener(', '.prependListener(', '.prependOnceListener('],
  docs: 'docs/adapters/eventemitter.md',
  visitor(context) {
    const { ts } = context;
    return {
      call(node) {
        const callee = node.expression;
        if (!ts.isPropertyAccessExpression(callee)) return;
        const method = callee.name.text;
        const isPublish = method === 'emit';
        if (!isPublish && !SUBSCRIBE_METHODS.has(method)) return;
        const [eventArgument, listener] = node.arguments;
        if (!eventArgument || (!isPublish && !listener)) return;
        const receiver = context.typeOf(callee.expression);
        if (!receiver) return;
        const name = context.nameOf(eventArgument);
        if (name.kind === 'literal' && RESERVED_EVENTS.has(name.value)) return;
        const handler = listener && !isPublish ? context.handlerOf(listener, method) : undefined;
        context.declare(node, {
          kind: isPublish ? 'publish' : 'subscribe',
          framework: 'eventemitter',
          transport: 'in-process',
          name,
          ...(handler ? { handler } : {}),
          requires: { receiver, oneOf: EMITTER_CLASSES },
        });
      },
    };
  },
};
