import type { ts } from 'ts-morph';
import type { NameExpr } from '../../../model/summary.js';
import { unwrap } from '../../syntax.js';
import type { Adapter, ExtractContext } from '../types.js';

const MODULE = '@nestjs/microservices';
const FRAMEWORK = 'nestjs-microservices';
/** The broker is configured elsewhere (main.ts, a module's `ClientsModule.register`): events are global by name. */
const EVENT_TRANSPORT = 'nestjs';
/** Request/reply, kept out of the event-flow graph (RPC_TRANSPORT in graph/topology.ts). */
const RPC_TRANSPORT = 'rpc';

/** The decorators that subscribe a controller method, and whether they are events or request/reply. */
const PATTERN_DECORATORS: Record<string, string> = { EventPattern: EVENT_TRANSPORT, MessagePattern: RPC_TRANSPORT };
const CLIENT_METHODS: Record<string, string> = { emit: EVENT_TRANSPORT, send: RPC_TRANSPORT };

const CLIENT_CLASSES = exportsOf([
  'ClientProxy',
  'ClientKafka',
  'ClientKafkaProxy',
  'ClientRMQ',
  'ClientNats',
  'ClientRedis',
  'ClientMqtt',
  'ClientTCP',
  'ClientGrpc',
  'ClientGrpcProxy',
]);

/**
 * NestJS microservices: `@EventPattern` / `@MessagePattern` on controller methods, and
 * `emit` / `send` on a `ClientProxy` (or one of its transport-specific subclasses). Events are named
 * by their pattern as NestJS routes it: a string as written, an object as its JSON with sorted keys.
 */
export const nestjsMicroservices: Adapter = {
  id: 'nestjs-microservices',
  title: 'NestJS microservices',
  enablers: [MODULE],
  tokens: ['EventPattern(', 'MessagePattern(', '.emit(', '.emit<', '.send(', '.send<'],
  docs: 'docs/adapters/nestjs-microservices.md',
  visitor(context) {
    const { ts } = context;
    return {
      decorator(node) {
        const decorator = decoratorCall(context, node);
        const transport = decorator && PATTERN_DECORATORS[decorator.name];
        if (!decorator || !transport || !ts.isMethodDeclaration(node.parent)) return;
        const handler = context.handlerOf(node.parent as unknown as ts.Expression, decorator.name);
        const requires = { receiver: decorator.callee, oneOf: exportsOf([decorator.name]) };
        const [pattern] = decorator.call.arguments;
        const list = pattern && unwrap(ts, pattern);
        // NestJS registers every element of an array as a pattern of its own.
        const patterns = list && ts.isArrayLiteralExpression(list) ? [...list.elements] : [pattern];
        for (const element of patterns) {
          context.declare(patterns.length > 1 && element ? element : node, {
            kind: 'subscribe',
            framework: FRAMEWORK,
            transport,
            name: element ? patternName(context, element) : { kind: 'dynamic', text: context.text(node) },
            ...(handler ? { handler } : {}),
            requires,
          });
        }
      },
      call(node) {
        const callee = node.expression;
        if (!ts.isPropertyAccessExpression(callee)) return;
        const transport = Object.hasOwn(CLIENT_METHODS, callee.name.text) ? CLIENT_METHODS[callee.name.text] : undefined;
        const [pattern] = node.arguments;
        if (!transport || !pattern) return;
        const receiver = context.typeOf(callee.expression);
        if (!receiver) return;
        context.declare(node, {
          kind: 'publish',
          framework: FRAMEWORK,
          transport,
          name: patternName(context, pattern),
          requires: { receiver, oneOf: CLIENT_CLASSES },
        });
      },
    };
  },
};

/** A pattern's route: a string as written, an object literal as NestJS serializes it (`{"cmd":"get_order"}`). */
function patternName(context: ExtractContext, expression: ts.Expression): NameExpr {
  const { ts } = context;
  const pattern = unwrap(ts, expression);
  if (ts.isConditionalExpression(pattern)) {
    return { kind: 'choice', options: [patternName(context, pattern.whenTrue), patternName(context, pattern.whenFalse)], text: context.text(pattern) };
  }
  if (!ts.isObjectLiteralExpression(pattern)) return context.nameOf(pattern);
  const parts = objectRoute(context, pattern);
  if (!parts) return { kind: 'dynamic', text: context.text(pattern) };
  const merged: NameExpr[] = [];
  for (const part of parts) {
    const last = merged.at(-1);
    if (part.kind === 'literal' && last?.kind === 'literal') merged[merged.length - 1] = { kind: 'literal', value: last.value + part.value };
    else merged.push(part);
  }
  const [only] = merged;
  return merged.length === 1 && only?.kind === 'literal' ? { kind: 'literal', value: only.value } : { kind: 'template', parts: merged, text: context.text(pattern) };
}

/**
 * The parts of NestJS's `transformPatternToRoute`: keys sorted, strings quoted, numbers and booleans
 * bare, nested objects recursively. A value only link can resolve (a constant) stays a part of its own.
 */
function objectRoute(context: ExtractContext, object: ts.ObjectLiteralExpression): NameExpr[] | undefined {
  const { ts } = context;
  const entries: Array<{ key: string; parts: NameExpr[] }> = [];
  for (const property of object.properties) {
    if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) return undefined;
    const key = ts.isComputedPropertyName(property.name) ? undefined : property.name.text;
    if (key === undefined) return undefined;
    const value = unwrap(ts, ts.isPropertyAssignment(property) ? property.initializer : property.name);
    const parts = valueRoute(context, value);
    if (!parts) return undefined;
    entries.push({ key, parts });
  }
  // Nest sorts with localeCompare in the server's locale, usually English; a fixed one keeps the
  // summary the same whatever the locale of the machine (or of the daemon) that extracts it.
  entries.sort((a, b) => a.key.localeCompare(b.key, 'en'));
  const literal = (value: string): NameExpr => ({ kind: 'literal', value });
  return [
    literal('{'),
    ...entries.flatMap((entry, index) => [literal(`${index > 0 ? ',' : ''}"${entry.key}":`), ...entry.parts]),
    literal('}'),
  ];
}

function valueRoute(context: ExtractContext, value: ts.Expression): NameExpr[] | undefined {
  const { ts } = context;
  if (ts.isNumericLiteral(value)) return [{ kind: 'literal', value: String(Number(value.text)) }];
  if (value.kind === ts.SyntaxKind.TrueKeyword) return [{ kind: 'literal', value: 'true' }];
  if (value.kind === ts.SyntaxKind.FalseKeyword) return [{ kind: 'literal', value: 'false' }];
  if (ts.isObjectLiteralExpression(value)) return objectRoute(context, value);
  const name = context.nameOf(value);
  if (name.kind === 'dynamic') return undefined;
  return [{ kind: 'literal', value: '"' }, name, { kind: 'literal', value: '"' }];
}

/**
 * `@Name(...)` or `@ns.Name(...)`: the decorator's name, its call, and its callee as a value, so that
 * `requires` lets link keep the declaration only if the callee is the library's own export (an
 * in-house decorator of the same name does not count).
 */
function decoratorCall(context: ExtractContext, node: ts.Decorator) {
  const { ts } = context;
  const call = node.expression;
  if (!ts.isCallExpression(call)) return undefined;
  const callee = unwrap(ts, call.expression);
  const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  const receiver = name !== undefined ? context.typeOf(callee) : undefined;
  return name !== undefined && receiver ? { name, call, callee: receiver } : undefined;
}

/** The library's exports as named imports and as members of a namespace import. */
function exportsOf(names: string[]): Array<{ module: string; name: string }> {
  return names.flatMap((name) => [
    { module: MODULE, name },
    { module: MODULE, name: `*.${name}` },
  ]);
}
