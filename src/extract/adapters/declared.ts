import type { ts } from 'ts-morph';
import type { DeclaredConvention } from '../../config/types.js';
import type { Adapter, ExtractContext } from './types.js';

/**
 * The team's own conventions that no adapter knows, declared in the config: wrappers the core does
 * not follow by itself (their bodies are elsewhere, or not in TypeScript), decorators of in-house
 * frameworks.
 */
export function declaredAdapter(conventions: readonly DeclaredConvention[]): Adapter | undefined {
  if (conventions.length === 0) return undefined;
  const calls = conventions.filter((convention) => convention.publish ?? convention.subscribe);
  const decorators = conventions.filter((convention) => convention.decorator);
  return {
    id: 'declared',
    title: 'Conventions declared in the config',
    enablers: [],
    builtin: true,
    tokens: [...calls.map((convention) => `${convention.publish ?? convention.subscribe}(`), ...decorators.map((convention) => `@${convention.decorator}`)],
    docs: 'docs/adapters/declared.md',
    visitor(context) {
      const { ts } = context;
      return {
        call(node) {
          const callee = node.expression;
          const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : undefined;
          for (const convention of calls) {
            const kind = convention.publish === name ? 'publish' : convention.subscribe === name ? 'subscribe' : undefined;
            if (!kind) continue;
            const eventArgument = node.arguments[convention.event ?? 0];
            if (!eventArgument) continue;
            const receiver = convention.receiver && ts.isPropertyAccessExpression(callee) ? context.typeOf(callee.expression) : undefined;
            if (convention.receiver && !receiver) continue;
            const handlerArgument =
              kind === 'subscribe'
                ? convention.handler !== undefined
                  ? node.arguments[convention.handler]
                  : node.arguments.find((argument, index) => index !== (convention.event ?? 0) && isFunctionExpression(ts, argument))
                : undefined;
            const handler = handlerArgument && context.handlerOf(handlerArgument, name!);
            context.declare(node, {
              kind,
              framework: 'declared',
              transport: convention.transport ?? 'custom',
              name: context.nameOf(eventArgument),
              ...(handler ? { handler } : {}),
              ...(receiver && convention.receiver ? { requires: { receiver, oneOf: [receiverCandidate(convention.receiver)] } } : {}),
            });
          }
        },
        decorator(node) {
          const call = node.expression;
          if (!ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) return;
          const decoratorName = call.expression.text;
          const method = node.parent;
          if (!ts.isMethodDeclaration(method)) return;
          for (const convention of decorators) {
            if (convention.decorator !== decoratorName) continue;
            const eventArgument = call.arguments[convention.event ?? 0];
            if (!eventArgument) continue;
            const handler = context.handlerOf(method as unknown as ts.Expression, decoratorName);
            context.declare(node, {
              kind: 'subscribe',
              framework: 'declared',
              transport: convention.transport ?? 'custom',
              name: context.nameOf(eventArgument),
              ...(handler ? { handler } : {}),
            });
          }
        },
      };
    },
  };
}

function receiverCandidate(receiver: string): { module: string; name: string } {
  const colon = receiver.lastIndexOf(':');
  return colon === -1 ? { module: '*', name: receiver } : { module: receiver.slice(0, colon), name: receiver.slice(colon + 1) };
}

function isFunctionExpression(ts: ExtractContext['ts'], node: ts.Expression): boolean {
  return ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isCallExpression(node);
}
