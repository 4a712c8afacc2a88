import type { ts } from 'ts-morph';
import type { DeclarationDraft, NameExpr } from '../../../model/summary.js';
import { lookupLocal } from '../../scope.js';
import { isFunctionLikeNode, propertyNameText, unwrap } from '../../syntax.js';
import type { Adapter, ExtractContext } from '../types.js';

/** Moleculer's exports as imports can name them: `{ ServiceBroker }`, `Moleculer.ServiceBroker`, `require('moleculer').ServiceBroker`. */
const moleculer = (...names: string[]) => names.flatMap((name) => [name, `*.${name}`, `default.${name}`].map((path) => ({ module: 'moleculer', name: path })));
const BROKER_OR_CONTEXT = moleculer('ServiceBroker', 'Context');
const BROKER = moleculer('ServiceBroker');
const SERVICE = moleculer('Service');

/** Events go through the transporter; `call` is a request to an action and waits for its reply. */
const PUBLISH_METHODS = new Map<string, 'event' | 'request'>([
  ['emit', 'event'],
  ['broadcast', 'event'],
  ['broadcastLocal', 'event'],
  ['call', 'request'],
]);

const FRAMEWORK = 'moleculer';
const TRANSPORT = 'moleculer';
const RPC_TRANSPORT = 'rpc';

type Guard = Pick<DeclarationDraft, 'requires'>;

/**
 * Moleculer: `broker.emit` / `broadcast` / `call` and the same on `ctx` and `this.broker`;
 * services' `events` (subscriptions, wildcards as EventEmitter2 patterns) and `actions`
 * (request/reply, named `service.action`) in schemas given to `createService`,
 * `parseServiceSchema`, exported as a module, or mixed in.
 */
export const moleculerAdapter: Adapter = {
  id: 'moleculer',
  title: 'Moleculer',
  enablers: ['moleculer'],
  tokens: ['.emit(', '.broadcast(', '.broadcastLocal(', '.call(', 'createService(', 'parseServiceSchema(', 'events:', 'actions:'],
  docs: 'docs/adapters/moleculer.md',
  visitor(context) {
    const { ts } = context;
    /** Schema objects seen so far: inside them, `this.broker` is the service's broker. */
    const schemas = new Set<ts.Node>();
    /** Action and event handlers: their first parameter is the request's Context. */
    const contextHandlers = new Set<ts.Node>();

    // Handlers must be named before the walk enters them, and module-level schemas have no call to hook.
    for (const schema of moduleLevelSchemas(context)) readSchema(schema);

    return {
      call(node) {
        const callee = unwrap(ts, node.expression);
        if (!ts.isPropertyAccessExpression(callee)) return;
        const method = callee.name.text;
        const [first] = node.arguments;
        if (!first) return;
        if (method === 'createService' || method === 'parseServiceSchema') {
          const schema = unwrap(ts, first);
          if (ts.isObjectLiteralExpression(schema)) readSchema(schema);
          return;
        }
        const kind = PUBLISH_METHODS.get(method);
        if (!kind) return;
        const guard = receiverGuard(callee.expression);
        const name = context.nameOf(first);
        if (!guard || isInternal(name)) return;
        context.declare(node, { kind: 'publish', framework: FRAMEWORK, transport: kind === 'request' ? RPC_TRANSPORT : TRANSPORT, name, ...guard });
      },
    };

    function readSchema(schema: ts.ObjectLiteralExpression): void {
      if (schemas.has(schema)) return;
      schemas.add(schema);
      for (const entry of entriesOf(context, context.property(schema, 'events'))) {
        if (isInternal(entry.name)) continue;
        const handler = handlerOf(entry.handler, 'event');
        const wildcard = entry.name.kind === 'literal' && entry.name.value.includes('*');
        context.declare(entry.node, {
          kind: 'subscribe',
          framework: FRAMEWORK,
          transport: TRANSPORT,
          name: entry.name,
          ...(wildcard ? { match: 'eventemitter2' as const } : {}),
          ...(handler ? { handler } : {}),
        });
      }
      const serviceName = context.property(schema, 'name');
      if (serviceName) {
        const prefix = versionPrefix(context, schema);
        for (const entry of entriesOf(context, context.property(schema, 'actions'))) {
          const handler = handlerOf(entry.handler, 'action');
          context.declare(entry.node, {
            kind: 'subscribe',
            framework: FRAMEWORK,
            transport: RPC_TRANSPORT,
            name: actionName(context, prefix, serviceName, entry.name),
            ...(handler ? { handler } : {}),
          });
        }
      }
      const mixins = context.property(schema, 'mixins');
      const inline = mixins && ts.isArrayLiteralExpression(unwrap(ts, mixins)) ? (unwrap(ts, mixins) as ts.ArrayLiteralExpression).elements : [];
      for (const mixin of inline) {
        const object = unwrap(ts, mixin);
        if (ts.isObjectLiteralExpression(object)) readSchema(object);
      }
    }

    function handlerOf(expression: ts.Expression | undefined, hint: string) {
      if (!expression) return undefined;
      const fn = functionOf(context, expression);
      if (fn) contextHandlers.add(fn);
      return context.handlerOf(expression, hint, { eventParam: { index: 0, path: ['eventName'] } });
    }

    /**
     * Who may emit: the Context of an action or event handler (`ctx`), a service's `this.broker`,
     * or a value typed as a ServiceBroker or Context.
     */
    function receiverGuard(receiver: ts.Expression): Guard | undefined {
      const expression = unwrap(ts, receiver);
      if (ts.isIdentifier(expression)) {
        const binding = lookupLocal(ts, expression.text, expression);
        if (binding.kind === 'parameter') {
          const isContext = (binding.index === 0 && contextHandlers.has(binding.owner)) || (expression.text === 'ctx' && insideSchema(binding.owner));
          if (isContext) return {};
        }
      }
      if (ts.isPropertyAccessExpression(expression) && expression.name.text === 'broker' && expression.expression.kind === ts.SyntaxKind.ThisKeyword) {
        const declared = context.typeOf(expression);
        if (declared) return { requires: { receiver: declared, oneOf: BROKER } };
        if (insideSchema(expression)) return {};
        const service = context.typeOf(expression.expression);
        return service && { requires: { receiver: service, oneOf: SERVICE } };
      }
      const type = context.typeOf(expression);
      return type && { requires: { receiver: type, oneOf: BROKER_OR_CONTEXT } };
    }

    function insideSchema(node: ts.Node): boolean {
      for (let current = node.parent; current; current = current.parent) if (schemas.has(current)) return true;
      return false;
    }
  },
};

interface SchemaEntry {
  node: ts.Node;
  name: NameExpr;
  handler?: ts.Expression;
}

/**
 * The entries of `events` or `actions`: `'order.created'(ctx) {…}`, `'x': handler`,
 * `'x': { handler(ctx) {…} }`, `[Events.X]: …`. Values that are not handlers (`list: false`) are skipped.
 */
function entriesOf(context: ExtractContext, object: ts.Expression | undefined): SchemaEntry[] {
  const { ts } = context;
  const literal = object && unwrap(ts, object);
  if (!literal || !ts.isObjectLiteralExpression(literal)) return [];
  const entries: SchemaEntry[] = [];
  for (const property of literal.properties) {
    const written = propertyNameText(ts, property.name);
    const name: NameExpr | undefined =
      written !== undefined
        ? { kind: 'literal', value: written }
        : property.name && ts.isComputedPropertyName(property.name)
          ? context.nameOf(property.name.expression)
          : undefined;
    if (!name) continue;
    const value = ts.isMethodDeclaration(property)
      ? (property as unknown as ts.Expression)
      : ts.isPropertyAssignment(property)
        ? unwrap(ts, property.initializer)
        : ts.isShorthandPropertyAssignment(property)
          ? property.name
          : undefined;
    if (!value) continue;
    const handler = ts.isObjectLiteralExpression(value) ? context.property(value, 'handler') : isHandlerLike(ts, value) ? value : undefined;
    if (!handler && !ts.isObjectLiteralExpression(value)) continue;
    entries.push({ node: property, name, ...(handler ? { handler } : {}) });
  }
  return entries;
}

function isHandlerLike(ts: ExtractContext['ts'], value: ts.Node): boolean {
  return isFunctionLikeNode(ts, value) || ts.isIdentifier(value) || ts.isPropertyAccessExpression(value) || ts.isCallExpression(value);
}

/** The function node a handler expression names, when this file holds it (so its `ctx` is known). */
function functionOf(context: ExtractContext, expression: ts.Expression): ts.Node | undefined {
  const { ts } = context;
  const inner = unwrap(ts, expression);
  if (isFunctionLikeNode(ts, inner)) return inner;
  if (ts.isCallExpression(inner)) {
    const callee = unwrap(ts, inner.expression);
    if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind') return functionOf(context, callee.expression);
    return undefined;
  }
  if (ts.isPropertyAccessExpression(inner) && inner.expression.kind === ts.SyntaxKind.ThisKeyword) {
    for (let node: ts.Node | undefined = inner.parent; node; node = node.parent) {
      if (ts.isClassLike(node)) {
        return node.members.find((member) => ts.isMethodDeclaration(member) && propertyNameText(ts, member.name) === inner.name.text);
      }
    }
    return undefined;
  }
  if (!ts.isIdentifier(inner)) return undefined;
  const binding = lookupLocal(ts, inner.text, inner);
  if (binding.kind === 'function') return binding.declaration;
  if (binding.kind === 'const') return isFunctionLikeNode(ts, unwrap(ts, binding.initializer)) ? unwrap(ts, binding.initializer) : undefined;
  if (binding.kind !== 'module') return undefined;
  for (const statement of context.sourceFile.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === inner.text) return statement;
    if (!ts.isVariableStatement(statement)) continue;
    const declaration = statement.declarationList.declarations.find((d) => ts.isIdentifier(d.name) && d.name.text === inner.text);
    const initializer = declaration?.initializer && unwrap(ts, declaration.initializer);
    if (initializer && isFunctionLikeNode(ts, initializer)) return initializer;
  }
  return undefined;
}

/** Objects at module level that look like service schemas or mixins: `module.exports = {…}`, `export default {…}`, `const X = {…}`. */
function moduleLevelSchemas(context: ExtractContext): ts.ObjectLiteralExpression[] {
  const { ts } = context;
  const candidates: ts.Expression[] = [];
  for (const statement of context.sourceFile.statements) {
    if (ts.isExportAssignment(statement)) candidates.push(statement.expression);
    else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) if (declaration.initializer) candidates.push(declaration.initializer);
    } else if (
      ts.isExpressionStatement(statement) &&
      ts.isBinaryExpression(statement.expression) &&
      statement.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      context.text(statement.expression.left) === 'module.exports'
    ) {
      candidates.push(statement.expression.right);
    }
  }
  return candidates
    .map((candidate) => unwrap(ts, candidate))
    .filter((object): object is ts.ObjectLiteralExpression => ts.isObjectLiteralExpression(object))
    .filter((object) => isObjectLiteral(context, context.property(object, 'events')) || (context.property(object, 'name') !== undefined && isObjectLiteral(context, context.property(object, 'actions'))));
}

function isObjectLiteral(context: ExtractContext, expression: ts.Expression | undefined): boolean {
  return expression !== undefined && context.ts.isObjectLiteralExpression(unwrap(context.ts, expression));
}

/** `version: 2` → `v2.`, `version: 'staging'` → `staging.`, unless `settings.$noVersionPrefix`. */
function versionPrefix(context: ExtractContext, schema: ts.ObjectLiteralExpression): string {
  const { ts } = context;
  const version = context.property(schema, 'version');
  const noPrefix = context.property(context.property(schema, 'settings'), '$noVersionPrefix');
  if (!version || (noPrefix && noPrefix.kind === ts.SyntaxKind.TrueKeyword)) return '';
  const value = unwrap(ts, version);
  if (ts.isNumericLiteral(value)) return `v${value.text}.`;
  if (ts.isStringLiteralLike(value)) return `${value.text}.`;
  return '';
}

/** An action's full name: `[version.]service.action`. */
function actionName(context: ExtractContext, prefix: string, serviceName: ts.Expression, action: NameExpr): NameExpr {
  const service = context.nameOf(serviceName);
  if (service.kind === 'literal' && action.kind === 'literal') return { kind: 'literal', value: `${prefix}${service.value}.${action.value}` };
  const parts: NameExpr[] = [...(prefix ? [{ kind: 'literal' as const, value: prefix }] : []), service, { kind: 'literal', value: '.' }, action];
  const actionText = action.kind === 'literal' ? action.value : action.text;
  return { kind: 'template', parts, text: `${prefix}${context.text(serviceName)}.${actionText}` };
}

/** Moleculer's own events and actions (`$node.connected`, `$node.list`) are not part of any workflow. */
function isInternal(name: NameExpr): boolean {
  return name.kind === 'literal' && name.value.startsWith('$');
}
