import type { ts } from 'ts-morph';
import type { DeclarationDraft, NameExpr } from '../../../model/summary.js';
import { unwrap } from '../../syntax.js';
import type { Adapter, ExtractContext } from '../types.js';

const MODULE = '@nestjs/event-emitter';
const FRAMEWORK = 'nestjs-event-emitter';

/** EventEmitter2 as `@nestjs/event-emitter` re-exports it, or from the eventemitter2 package itself. */
const EMITTER_CLASSES = [
  { module: MODULE, name: 'EventEmitter2' },
  { module: MODULE, name: '*.EventEmitter2' },
  { module: 'eventemitter2', name: 'EventEmitter2' },
  { module: 'eventemitter2', name: '*.EventEmitter2' },
  { module: 'eventemitter2', name: 'default' },
  { module: 'eventemitter2', name: '*' },
];

const PUBLISH_METHODS = new Set(['emit', 'emitAsync']);
/** Listener methods of EventEmitter2, by the position of the listener. */
const SUBSCRIBE_METHODS: Record<string, number> = {
  on: 1,
  once: 1,
  addListener: 1,
  prependListener: 1,
  prependOnceListener: 1,
  many: 2,
  prependMany: 2,
};

/** The namespace delimiter of EventEmitter2 (`delimiter` option of `EventEmitterModule.forRoot`, default '.'). */
const DELIMITER = '.';

/**
 * `@nestjs/event-emitter`: `@OnEvent(...)` on provider methods, and `emit` / `emitAsync` (and the
 * listener methods) on an injected `EventEmitter2`. Events are in-process: scoped to their service.
 */
export const nestjsEventEmitter: Adapter = {
  id: 'nestjs-event-emitter',
  title: 'NestJS event emitter',
  enablers: [MODULE],
  tokens: ['OnEvent(', '.emit(', '.emitAsync(', '.on(', '.once(', '.addListener(', '.prependListener(', '.prependOnceListener(', '.many(', '.prependMany('],
  docs: 'docs/adapters/nestjs-event-emitter.md',
  visitor(context) {
    const { ts } = context;
    const subscription = (name: NameExpr): Pick<DeclarationDraft, 'name' | 'match'> =>
      hasWildcard(name) ? { name, match: 'eventemitter2' } : { name };
    return {
      decorator(node) {
        const call = node.expression;
        if (!ts.isCallExpression(call) || !ts.isMethodDeclaration(node.parent)) return;
        const callee = unwrap(ts, call.expression);
        const decorator = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
        const receiver = decorator === 'OnEvent' ? context.typeOf(callee) : undefined;
        if (!receiver) return;
        const [event] = call.arguments;
        const handler = context.handlerOf(node.parent as unknown as ts.Expression, 'OnEvent');
        context.declare(node, {
          kind: 'subscribe',
          framework: FRAMEWORK,
          transport: 'in-process',
          ...subscription(event ? eventName(context, event) : { kind: 'dynamic', text: context.text(node) }),
          ...(handler ? { handler } : {}),
          requires: { receiver, oneOf: [{ module: MODULE, name: 'OnEvent' }, { module: MODULE, name: '*.OnEvent' }] },
        });
      },
      call(node) {
        const callee = node.expression;
        if (!ts.isPropertyAccessExpression(callee)) return;
        const method = callee.name.text;
        const listenerIndex = Object.hasOwn(SUBSCRIBE_METHODS, method) ? SUBSCRIBE_METHODS[method] : undefined;
        if (!PUBLISH_METHODS.has(method) && listenerIndex === undefined) return;
        const [event] = node.arguments;
        const listener = listenerIndex === undefined ? undefined : node.arguments[listenerIndex];
        if (!event || (listenerIndex !== undefined && !listener)) return;
        const receiver = context.typeOf(callee.expression);
        if (!receiver) return;
        const name = eventName(context, event);
        const handler = listener && context.handlerOf(listener, method);
        context.declare(node, {
          kind: listener ? 'subscribe' : 'publish',
          framework: FRAMEWORK,
          transport: 'in-process',
          ...(listener ? subscription(name) : { name }),
          ...(handler ? { handler } : {}),
          requires: { receiver, oneOf: EMITTER_CLASSES },
        });
      },
    };
  },
};

/**
 * An event name; an array is EventEmitter2's namespace form (`['order', 'created']` is
 * `order.created`), not a list of events.
 */
function eventName(context: ExtractContext, expression: ts.Expression): NameExpr {
  const { ts } = context;
  const event = unwrap(ts, expression);
  if (ts.isConditionalExpression(event)) {
    return { kind: 'choice', options: [eventName(context, event.whenTrue), eventName(context, event.whenFalse)], text: context.text(event) };
  }
  if (!ts.isArrayLiteralExpression(event)) return context.nameOf(event);
  const parts = event.elements.flatMap((element, index): NameExpr[] => {
    const name = context.nameOf(element);
    return index > 0 ? [{ kind: 'literal', value: DELIMITER }, name] : [name];
  });
  if (parts.every((part) => part.kind === 'literal')) {
    return { kind: 'literal', value: parts.map((part) => (part as { value: string }).value).join('') };
  }
  return { kind: 'template', parts, text: context.text(event) };
}

/** A name written with `*` (one segment) or `**` (any segments) is a pattern. */
function hasWildcard(name: NameExpr): boolean {
  switch (name.kind) {
    case 'literal':
      return name.value.includes('*');
    case 'template':
      return name.parts.some(hasWildcard);
    case 'env':
      return hasWildcard(name.fallback);
    case 'choice':
      return name.options.some(hasWildcard);
    default:
      return false;
  }
}
