import type { ts } from 'ts-morph';
import type { DeclarationDraft, HandlerRef, NameExpr, TypeRef } from '../../../model/summary.js';
import { lookupLocal } from '../../scope.js';
import { isFunctionLikeNode, unwrap, type FunctionLikeNode } from '../../syntax.js';
import type { Adapter, ExtractContext } from '../types.js';

const MODULE = '@nestjs/cqrs';
const FRAMEWORK = 'nestjs-cqrs';
const IN_PROCESS = 'in-process';
/** Queries are request/reply, kept out of the event-flow graph (RPC_TRANSPORT in graph/topology.ts). */
const RPC_TRANSPORT = 'rpc';

type Requirement = NonNullable<DeclarationDraft['requires']>;

/** The handler classes' decorators: which method handles the message, and how it is delivered. */
const HANDLER_DECORATORS: Record<string, { method: string; transport: string }> = {
  EventsHandler: { method: 'handle', transport: IN_PROCESS },
  CommandHandler: { method: 'execute', transport: IN_PROCESS },
  QueryHandler: { method: 'execute', transport: RPC_TRANSPORT },
};

/** Bus methods that publish the message they are given, by the bus classes that have them. */
const BUS_METHODS: Record<string, Array<{ classes: string[]; transport: string }>> = {
  publish: [{ classes: ['EventBus', 'IEventBus'], transport: IN_PROCESS }],
  publishAll: [{ classes: ['EventBus', 'IEventBus'], transport: IN_PROCESS }],
  // The same call is a command or a query: link keeps the draft whose bus the receiver is.
  execute: [
    { classes: ['CommandBus', 'ICommandBus'], transport: IN_PROCESS },
    { classes: ['QueryBus', 'IQueryBus'], transport: RPC_TRANSPORT },
  ],
};

/** RxJS operators whose callback's return value flows on down a saga's pipe (to the command bus). */
const MAPPING_OPERATORS = new Set(['map', 'mergeMap', 'switchMap', 'concatMap', 'exhaustMap', 'flatMap']);

/**
 * NestJS CQRS: events, commands and queries named by their class. Handler classes
 * (`@EventsHandler`, `@CommandHandler`, `@QueryHandler`), sagas (`@Saga()` with `ofType` and the
 * commands they map events to), the buses, and `this.apply(event)` in an `AggregateRoot`. Events and
 * commands are in-process: scoped to their service.
 */
export const nestjsCqrs: Adapter = {
  id: 'nestjs-cqrs',
  title: 'NestJS CQRS',
  enablers: [MODULE],
  tokens: ['EventsHandler(', 'CommandHandler(', 'QueryHandler(', 'Saga(', '.publish(', '.publishAll(', '.apply(', '.execute(', '.execute<'],
  docs: 'docs/adapters/nestjs-cqrs.md',
  visitor(context) {
    const { ts } = context;
    /** Saga functions, by node: their handler and the requirement that `@Saga` is the library's. */
    const sagas = new Map<ts.Node, { handler?: HandlerRef; requires: Requirement }>();

    const enclosingSaga = (node: ts.Node) => {
      for (let current = node.parent; current; current = current.parent) {
        const saga = sagas.get(current);
        if (saga) return saga;
      }
      return undefined;
    };

    const publish = (node: ts.Node, name: NameExpr, transport: string, requires: Requirement) =>
      context.declare(node, { kind: 'publish', framework: FRAMEWORK, transport, name, requires });

    /** One publish per message a call passes: at the call for a single one, else at each message. */
    const publishEach = (call: ts.CallExpression, messages: ts.Expression[], transport: string, requires: Requirement) => {
      const alternatives = messages.flatMap((message) => alternativesOf(context, message));
      for (const message of alternatives) publish(alternatives.length > 1 ? message : call, messageName(context, message), transport, requires);
    };

    return {
      decorator(node) {
        const decorator = decoratorCall(context, node);
        if (!decorator) return;
        const requires = { receiver: decorator.callee, oneOf: exportsOf([decorator.name]) };
        if (decorator.name === 'Saga') {
          const saga = functionOf(context, node.parent);
          if (!saga) return;
          const handler = context.handlerOf(saga as unknown as ts.Expression, 'saga');
          sagas.set(saga, { ...(handler ? { handler } : {}), requires });
          return;
        }
        const handled = HANDLER_DECORATORS[decorator.name];
        if (!handled || !ts.isClassDeclaration(node.parent)) return;
        const method = node.parent.members.map((member) => memberNamed(context, member, handled.method)).find(Boolean);
        const handler = method && context.handlerOf(method as unknown as ts.Expression, handled.method);
        // Options objects (`{ scope }`) are not messages.
        const messages = decorator.call.arguments.filter((argument) => !ts.isObjectLiteralExpression(unwrap(ts, argument)));
        for (const message of messages) {
          context.declare(messages.length > 1 ? message : node, {
            kind: 'subscribe',
            framework: FRAMEWORK,
            transport: handled.transport,
            name: context.classNameOf(message),
            ...(handler ? { handler } : {}),
            requires,
          });
        }
      },
      call(node) {
        const callee = unwrap(ts, node.expression);
        if (ts.isIdentifier(callee) && callee.text === 'ofType') {
          const saga = enclosingSaga(node);
          if (!saga) return;
          for (const event of node.arguments) {
            context.declare(node.arguments.length > 1 ? event : node, {
              kind: 'subscribe',
              framework: FRAMEWORK,
              transport: IN_PROCESS,
              name: context.classNameOf(event),
              ...(saga.handler ? { handler: saga.handler } : {}),
              requires: saga.requires,
            });
          }
          return;
        }
        if (!ts.isPropertyAccessExpression(callee)) return;
        const method = callee.name.text;
        const [message, options] = node.arguments;
        if (!message) return;
        if (method === 'apply') {
          // The aggregate's events are published on commit(); declared here, inside the method that
          // applies them, so handlers calling that method reach them. Replayed history is not published.
          if (unwrap(ts, callee.expression).kind !== ts.SyntaxKind.ThisKeyword || isFromHistory(context, options)) return;
          const receiver = context.typeOf(callee.expression);
          if (receiver) publishEach(node, [message], IN_PROCESS, { receiver, oneOf: exportsOf(['AggregateRoot']) });
          return;
        }
        // Own keys only: `x.constructor(…)` must not find Object.prototype.constructor.
        const buses = Object.hasOwn(BUS_METHODS, method) ? BUS_METHODS[method] : undefined;
        const receiver = buses && context.typeOf(callee.expression);
        if (!buses || !receiver) return;
        const list = unwrap(ts, message);
        const messages = method === 'publishAll' && ts.isArrayLiteralExpression(list) ? [...list.elements] : [message];
        for (const bus of buses) publishEach(node, messages, bus.transport, { receiver, oneOf: exportsOf(bus.classes) });
      },
      newExpression(node) {
        if (sagas.size === 0 || !isMappedDownThePipe(context, node)) return;
        const saga = enclosingSaga(node);
        if (saga) publish(node, context.classNameOf(node), IN_PROCESS, saga.requires);
      },
    };
  },
};

/**
 * The class of the message an expression holds: `new X(…)`, or a local constant initialized with
 * one. A parameter stays a parameter (a wrapper); anything else cannot be told from the syntax.
 */
function messageName(context: ExtractContext, expression: ts.Expression): NameExpr {
  const { ts } = context;
  const message = unwrap(ts, expression);
  if (ts.isNewExpression(message)) return context.classNameOf(message);
  if (ts.isIdentifier(message)) {
    const binding = lookupLocal(ts, message.text, message);
    if (binding.kind === 'const' && ts.isNewExpression(unwrap(ts, binding.initializer))) {
      const name = context.classNameOf(binding.initializer);
      return name.kind === 'class' ? { ...name, text: message.text } : name;
    }
  }
  const name = context.nameOf(message);
  return name.kind === 'param' ? name : { kind: 'dynamic', text: context.text(message) };
}

/** `condition ? new A() : new B()` publishes either: both are declared. */
function alternativesOf(context: ExtractContext, expression: ts.Expression): ts.Expression[] {
  const { ts } = context;
  const value = unwrap(ts, expression);
  return ts.isConditionalExpression(value) ? [...alternativesOf(context, value.whenTrue), ...alternativesOf(context, value.whenFalse)] : [expression];
}

/** `apply(event, true)` or `apply(event, { fromHistory: true })`: replaying history, not publishing. */
function isFromHistory(context: ExtractContext, options: ts.Expression | undefined): boolean {
  const { ts } = context;
  if (!options) return false;
  const value = unwrap(ts, options);
  const flag = ts.isObjectLiteralExpression(value) ? context.property(value, 'fromHistory') : value;
  return flag?.kind === ts.SyntaxKind.TrueKeyword;
}

/**
 * A `new X(…)` a saga maps an event to: the value returned by the callback of `map`, `mergeMap`,
 * `switchMap`… (directly, or inside `of(…)`, `from([…])`, an array or a conditional).
 */
function isMappedDownThePipe(context: ExtractContext, node: ts.NewExpression): boolean {
  const { ts } = context;
  let current: ts.Node = node;
  for (;;) {
    const parent: ts.Node = current.parent;
    const passesValueOn =
      ts.isParenthesizedExpression(parent) ||
      ts.isAsExpression(parent) ||
      ts.isArrayLiteralExpression(parent) ||
      (ts.isConditionalExpression(parent) && parent.condition !== current) ||
      (ts.isCallExpression(parent) && ts.isIdentifier(parent.expression) && (parent.expression.text === 'of' || parent.expression.text === 'from') && parent.expression !== current);
    if (!passesValueOn) break;
    current = parent;
  }
  const parent = current.parent;
  let callback: ts.Node | undefined;
  if (ts.isArrowFunction(parent) && parent.body === current) callback = parent;
  else if (ts.isReturnStatement(parent)) {
    for (let scope: ts.Node | undefined = parent.parent; scope && !callback; scope = scope.parent) if (isFunctionLikeNode(ts, scope)) callback = scope;
  }
  if (!callback) return false;
  let operator = callback.parent;
  while (ts.isParenthesizedExpression(operator)) operator = operator.parent;
  return ts.isCallExpression(operator) && ts.isIdentifier(operator.expression) && MAPPING_OPERATORS.has(operator.expression.text);
}

/** The function a `@Saga()` decorates: a method, or a property initialized with a function. */
function functionOf(context: ExtractContext, member: ts.Node): FunctionLikeNode | undefined {
  const { ts } = context;
  if (ts.isMethodDeclaration(member)) return member;
  if (!ts.isPropertyDeclaration(member) || !member.initializer) return undefined;
  const initializer = unwrap(ts, member.initializer);
  return isFunctionLikeNode(ts, initializer) ? initializer : undefined;
}

function memberNamed(context: ExtractContext, member: ts.ClassElement, name: string): FunctionLikeNode | undefined {
  const { ts } = context;
  if (!member.name || !ts.isIdentifier(member.name) || member.name.text !== name) return undefined;
  return functionOf(context, member);
}

/**
 * `@Name(...)` or `@ns.Name(...)`: the decorator's name, its call, and its callee as a value, so that
 * `requires` lets link keep the declaration only if the callee is the library's own export (an
 * in-house decorator of the same name does not count).
 */
function decoratorCall(context: ExtractContext, node: ts.Decorator): { name: string; call: ts.CallExpression; callee: TypeRef } | undefined {
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
