import type { ts } from 'ts-morph';
import { MODULE_FUNCTION, type HandlerRef } from '../../../model/summary.js';
import { lookupLocal } from '../../scope.js';
import { unwrap } from '../../syntax.js';
import type { ExtractContext } from '../types.js';

/**
 * What receivers hold, read from this file alone (there is no type checker): a variable's
 * initializer and later assignments, a `this` field's values in its class, a parameter's
 * arguments at the calls of its function. Untyped clients (`const nc = await connect()`) are
 * recognised this way, and so are the `for await` loops that consume a subscription. Used by the
 * NATS adapters and by the Google Pub/Sub adapter (`const topic = pubsub.topic(t)`).
 */
export class FileValues {
  private index?: {
    assignments: Map<string, ts.Expression[]>;
    calls: Map<string, ts.CallExpression[]>;
    loops: ts.ForOfStatement[];
  };
  private readonly imports = new Map<string, Map<string, string>>();

  constructor(private readonly context: ExtractContext) {}

  /** The expressions a value may come from: itself when nothing in the file says more. */
  origins(expression: ts.Expression, depth = 0): ts.Expression[] {
    const { ts } = this.context;
    const inner = this.strip(expression);
    if (depth > 8) return [inner];
    const sources = ts.isIdentifier(inner) ? this.variableValues(inner) : this.isThisField(inner) ? this.fieldValues(inner) : undefined;
    if (!sources?.length) return [inner];
    return sources.flatMap((source) => this.origins(source, depth + 1));
  }

  /** True when a local name is bound by an import or a `require` of some module. */
  isImported(name: string): boolean {
    const { ts } = this.context;
    return this.context.sourceFile.statements.some((statement) => {
      if (ts.isImportDeclaration(statement)) {
        const clause = statement.importClause;
        const bindings = clause?.namedBindings;
        return (
          clause?.name?.text === name ||
          (bindings !== undefined && (ts.isNamespaceImport(bindings) ? bindings.name.text === name : bindings.elements.some((element) => element.name.text === name)))
        );
      }
      if (ts.isImportEqualsDeclaration(statement)) return statement.name.text === name;
      return (
        ts.isVariableStatement(statement) &&
        statement.declarationList.declarations.some((declaration) => declaration.initializer && requiredModule(ts, unwrap(ts, declaration.initializer)) && bindsName(ts, declaration.name, name))
      );
    });
  }

  /** `connect()` imported from the library, `nats.connect()`, `require('nats').connect()`. */
  isLibraryCall(call: ts.CallExpression, module: string, exported: string): boolean {
    const { ts } = this.context;
    const callee = unwrap(ts, call.expression);
    const imports = this.importsOf(module);
    if (ts.isIdentifier(callee)) return imports.get(callee.text) === exported && lookupLocal(ts, callee.text, callee).kind === 'module';
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== exported) return false;
    const owner = unwrap(ts, callee.expression);
    if (ts.isIdentifier(owner)) return ['*', 'default'].includes(imports.get(owner.text) ?? '') && lookupLocal(ts, owner.text, owner).kind === 'module';
    return isRequireOf(ts, owner, module);
  }

  /** The builder a chain of calls starts from: `consumerOpts().durable('x')` → `consumerOpts()`. */
  builderSource(expression: ts.Expression, isSource: (origin: ts.Expression) => boolean, depth = 0): ts.Expression | undefined {
    const { ts } = this.context;
    for (const origin of this.origins(expression)) {
      if (isSource(origin)) return origin;
      const callee = ts.isCallExpression(origin) ? unwrap(ts, origin.expression) : undefined;
      if (depth < 8 && callee && ts.isPropertyAccessExpression(callee)) {
        const found = this.builderSource(callee.expression, isSource, depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  }

  /**
   * The handler of the messages a call returns when a `for await` loop consumes them: the
   * function holding the loop. Must run before the walk enters that function, so an inline one
   * (an async IIFE) can still become a handler of its own.
   */
  loopHandler(source: ts.Node, hint: string): HandlerRef | undefined {
    const loop = this.scan().loops.find((candidate) => this.origins(candidate.expression).includes(source as ts.Expression));
    return loop && this.handlerAround(loop, hint);
  }

  /** The nearest function around a node that can be a handler: an inline one not walked yet, a named one, or the module. */
  handlerAround(node: ts.Node, hint: string): HandlerRef {
    const { ts } = this.context;
    for (let current = node.parent; !ts.isSourceFile(current); current = current.parent) {
      let handler: HandlerRef | undefined;
      if (ts.isArrowFunction(current) || ts.isFunctionExpression(current)) handler = this.context.handlerOf(current, hint);
      else if (ts.isMethodDeclaration(current)) handler = this.context.handlerOf(current as unknown as ts.Expression, hint);
      else if (ts.isFunctionDeclaration(current) && current.name) handler = this.context.handlerOf(current.name, hint);
      if (handler) return handler;
    }
    return { fn: MODULE_FUNCTION };
  }

  private strip(expression: ts.Expression): ts.Expression {
    const { ts } = this.context;
    let current = unwrap(ts, expression);
    while (ts.isAwaitExpression(current)) current = unwrap(ts, current.expression);
    return current;
  }

  private isThisField(expression: ts.Expression): expression is ts.PropertyAccessExpression {
    const { ts } = this.context;
    return ts.isPropertyAccessExpression(expression) && unwrap(ts, expression.expression).kind === ts.SyntaxKind.ThisKeyword;
  }

  private variableValues(identifier: ts.Identifier): ts.Expression[] | undefined {
    const { ts } = this.context;
    const binding = lookupLocal(ts, identifier.text, identifier);
    switch (binding.kind) {
      case 'const':
        return [binding.initializer];
      case 'variable': {
        const assigned = this.assignedTo(identifier.text).filter((value) => {
          const left = (value.parent as ts.BinaryExpression).left as ts.Identifier;
          const target = lookupLocal(ts, left.text, left);
          return target.kind === 'variable' && target.declaration === binding.declaration;
        });
        return [...(binding.declaration.initializer ? [binding.declaration.initializer] : []), ...assigned];
      }
      case 'parameter':
        return this.argumentsOf(binding.owner, binding.index);
      case 'module':
        return this.moduleValues(identifier.text);
      case 'other':
        return this.destructuredValue(identifier);
      default:
        return undefined;
    }
  }

  private moduleValues(name: string): ts.Expression[] | undefined {
    const { ts } = this.context;
    for (const statement of this.context.sourceFile.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      const declarations = statement.declarationList.declarations;
      const destructured = declarations.find((candidate) => firstElementName(ts, candidate.name) === name);
      if (destructured?.initializer) return [destructured.initializer];
      const declaration = declarations.find((candidate) => ts.isIdentifier(candidate.name) && candidate.name.text === name);
      if (!declaration) continue;
      const assigned = this.assignedTo(name).filter((value) => {
        const left = (value.parent as ts.BinaryExpression).left as ts.Identifier;
        return lookupLocal(ts, left.text, left).kind === 'module';
      });
      return [...(declaration.initializer ? [declaration.initializer] : []), ...assigned];
    }
    return undefined;
  }

  /** `const [topic] = await pubsub.createTopic(name)`: the call whose reply's first element it is. */
  private destructuredValue(identifier: ts.Identifier): ts.Expression[] | undefined {
    const { ts } = this.context;
    for (let node: ts.Node = identifier; !ts.isSourceFile(node); node = node.parent) {
      if (!ts.isBlock(node)) continue;
      for (const statement of node.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        const declaration = statement.declarationList.declarations.find((candidate) => firstElementName(ts, candidate.name) === identifier.text);
        if (declaration?.initializer) return [declaration.initializer];
      }
    }
    return undefined;
  }

  /** A field's initializer and the values `this.field = …` assigns in the same class. */
  private fieldValues(expression: ts.PropertyAccessExpression): ts.Expression[] | undefined {
    const { ts } = this.context;
    const owner = classOf(ts, expression);
    if (!owner) return undefined;
    const field = expression.name.text;
    const declared = owner.members.find((member) => ts.isPropertyDeclaration(member) && ts.isIdentifier(member.name) && member.name.text === field) as
      | ts.PropertyDeclaration
      | undefined;
    const assigned = this.assignedTo(`this.${field}`).filter((value) => classOf(ts, value) === owner);
    return [...(declared?.initializer ? [declared.initializer] : []), ...assigned];
  }

  /** The arguments passed for a parameter at the calls of its function in this file (`handle(sub)`, `this.handle(sub)`). */
  private argumentsOf(owner: ts.Node, index: number): ts.Expression[] {
    const { ts } = this.context;
    const name = functionName(ts, owner);
    if (!name) return [];
    const key = ts.isMethodDeclaration(owner) ? `this.${name}` : name;
    return (this.scan().calls.get(key) ?? []).flatMap((call) => (call.arguments[index] ? [call.arguments[index]] : []));
  }

  private assignedTo(key: string): ts.Expression[] {
    return this.scan().assignments.get(key) ?? [];
  }

  private importsOf(module: string): Map<string, string> {
    let imports = this.imports.get(module);
    if (!imports) {
      imports = readImports(this.context.ts, this.context.sourceFile, module);
      this.imports.set(module, imports);
    }
    return imports;
  }

  /** One pass over the file, on first need: assignments, calls by function name, `for await` loops. */
  private scan(): NonNullable<FileValues['index']> {
    if (this.index) return this.index;
    const { ts } = this.context;
    const index: NonNullable<FileValues['index']> = { assignments: new Map(), calls: new Map(), loops: [] };
    const add = <T>(map: Map<string, T[]>, key: string, value: T) => {
      const values = map.get(key);
      if (values) values.push(value);
      else map.set(key, [value]);
    };
    const stack: ts.Node[] = [this.context.sourceFile];
    const lastToken = ts.SyntaxKind.LastToken;
    // Tokens are most of the tree, have no children and are none of what is indexed.
    const push = (child: ts.Node): undefined => {
      if (child.kind > lastToken) stack.push(child);
      return undefined;
    };
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const left = unwrap(ts, node.left);
        if (ts.isIdentifier(left)) add(index.assignments, left.text, node.right);
        else if (this.isThisField(left)) add(index.assignments, `this.${left.name.text}`, node.right);
      } else if (ts.isCallExpression(node)) {
        const callee = unwrap(ts, node.expression);
        if (ts.isIdentifier(callee)) add(index.calls, callee.text, node);
        else if (this.isThisField(callee)) add(index.calls, `this.${callee.name.text}`, node);
      } else if (ts.isForOfStatement(node) && node.awaitModifier) {
        index.loops.push(node);
      }
      ts.forEachChild(node, push);
    }
    this.index = index;
    return index;
  }
}

/** The local names a module's imports and `require` calls bind, to the export each names (`*`, `default`, or a name). */
function readImports(ts: ExtractContext['ts'], sourceFile: ts.SourceFile, module: string): Map<string, string> {
  const imports = new Map<string, string>();
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteralLike(statement.moduleSpecifier) && statement.moduleSpecifier.text === module) {
      const clause = statement.importClause;
      if (clause?.name) imports.set(clause.name.text, 'default');
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) imports.set(bindings.name.text, '*');
      else if (bindings) for (const element of bindings.elements) imports.set(element.name.text, (element.propertyName ?? element.name).text);
    } else if (ts.isImportEqualsDeclaration(statement)) {
      const reference = statement.moduleReference;
      if (ts.isExternalModuleReference(reference) && ts.isStringLiteralLike(reference.expression) && reference.expression.text === module) {
        imports.set(statement.name.text, '*');
      }
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!declaration.initializer || !isRequireOf(ts, unwrap(ts, declaration.initializer), module)) continue;
        if (ts.isIdentifier(declaration.name)) imports.set(declaration.name.text, '*');
        else if (ts.isObjectBindingPattern(declaration.name)) {
          for (const element of declaration.name.elements) {
            const imported = element.propertyName ?? element.name;
            if (ts.isIdentifier(element.name) && ts.isIdentifier(imported)) imports.set(element.name.text, imported.text);
          }
        }
      }
    }
  }
  return imports;
}

function isRequireOf(ts: ExtractContext['ts'], expression: ts.Expression, module: string): boolean {
  return requiredModule(ts, expression) === module;
}

/** `require('x')` → 'x'. */
function requiredModule(ts: ExtractContext['ts'], expression: ts.Expression): string | undefined {
  if (!ts.isCallExpression(expression) || !ts.isIdentifier(expression.expression) || expression.expression.text !== 'require') return undefined;
  const [specifier] = expression.arguments;
  return specifier !== undefined && ts.isStringLiteralLike(specifier) ? specifier.text : undefined;
}

function bindsName(ts: ExtractContext['ts'], binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((element) => !ts.isOmittedExpression(element) && bindsName(ts, element.name, name));
}

function firstElementName(ts: ExtractContext['ts'], name: ts.BindingName): string | undefined {
  const first = ts.isArrayBindingPattern(name) ? name.elements[0] : undefined;
  return first && ts.isBindingElement(first) && ts.isIdentifier(first.name) ? first.name.text : undefined;
}

/** The class whose `this` a node sees: arrow functions keep their method's. */
function classOf(ts: ExtractContext['ts'], node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current; current = current.parent) {
    if (ts.isClassLike(current)) return current;
    if (ts.isFunctionDeclaration(current) || ts.isFunctionExpression(current)) return undefined;
  }
  return undefined;
}

/** The name a function is called by: its own, or the variable or method it is. */
function functionName(ts: ExtractContext['ts'], node: ts.Node): string | undefined {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name && ts.isIdentifier(node.name)) return node.name.text;
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}
