import type { ts } from 'ts-morph';
import { isFunctionLikeNode, type FunctionLikeNode } from './syntax.js';
import type { TypeScript } from './typescript.js';

/** What a name used inside a function refers to, found by walking the enclosing scopes. */
export type LexicalBinding =
  /** Declared at module level, imported, or a global: link resolves it. */
  | { kind: 'module' }
  | { kind: 'const'; declaration: ts.VariableDeclaration; initializer: ts.Expression }
  | { kind: 'variable'; declaration: ts.VariableDeclaration }
  | { kind: 'parameter'; owner: FunctionLikeNode; index: number; declaration: ts.ParameterDeclaration }
  | { kind: 'function'; declaration: ts.FunctionDeclaration }
  | { kind: 'class'; declaration: ts.ClassDeclaration }
  /** `const { ORDER_PLACED } = Topics`: the property of the initializer that the name is bound to. */
  | { kind: 'destructured'; initializer: ts.Expression; property: string }
  /** A nested or non-const destructured name, a loop or catch variable: nothing static to say about it. */
  | { kind: 'other' };

export function lookupLocal(ts: TypeScript, name: string, from: ts.Node): LexicalBinding {
  for (let node: ts.Node | undefined = from.parent; node; node = node.parent) {
    if (ts.isSourceFile(node)) return { kind: 'module' };
    if (isFunctionLikeNode(ts, node)) {
      const index = node.parameters.findIndex((parameter) => bindsName(ts, parameter.name, name));
      const parameter = node.parameters[index];
      if (parameter) {
        return ts.isIdentifier(parameter.name) ? { kind: 'parameter', owner: node, index, declaration: parameter } : { kind: 'other' };
      }
      continue;
    }
    if (ts.isCatchClause(node)) {
      if (node.variableDeclaration && bindsName(ts, node.variableDeclaration.name, name)) return { kind: 'other' };
      continue;
    }
    if ((ts.isForStatement(node) || ts.isForOfStatement(node) || ts.isForInStatement(node)) && node.initializer) {
      if (ts.isVariableDeclarationList(node.initializer) && node.initializer.declarations.some((d) => bindsName(ts, d.name, name))) {
        return { kind: 'other' };
      }
      continue;
    }
    const statements = statementsOf(ts, node);
    if (!statements) continue;
    const found = findInStatements(ts, statements, name);
    if (found) return found;
  }
  return { kind: 'module' };
}

function statementsOf(ts: TypeScript, node: ts.Node): ts.NodeArray<ts.Statement> | undefined {
  if (ts.isBlock(node) || ts.isModuleBlock(node) || ts.isCaseClause(node) || ts.isDefaultClause(node)) return node.statements;
  return undefined;
}

// Indexed once per block: a lookup that scanned every statement made a long function quadratic.
const blockBindings = new WeakMap<ts.NodeArray<ts.Statement>, Map<string, LexicalBinding>>();

function findInStatements(ts: TypeScript, statements: ts.NodeArray<ts.Statement>, name: string): LexicalBinding | undefined {
  let bindings = blockBindings.get(statements);
  if (!bindings) {
    bindings = bindingsOf(ts, statements);
    blockBindings.set(statements, bindings);
  }
  return bindings.get(name);
}

/** Each name a block declares, with its first declaration. */
function bindingsOf(ts: TypeScript, statements: ts.NodeArray<ts.Statement>): Map<string, LexicalBinding> {
  const bindings = new Map<string, LexicalBinding>();
  const bind = (name: string, binding: LexicalBinding) => {
    if (!bindings.has(name)) bindings.set(name, binding);
  };
  for (const statement of statements) {
    if (ts.isVariableStatement(statement)) {
      const isConst = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name)) {
          const { name, initializer } = declaration;
          for (const element of ts.isObjectBindingPattern(name) && isConst && initializer ? name.elements : []) {
            const property = element.propertyName ?? element.name;
            if (ts.isIdentifier(element.name) && !element.dotDotDotToken && !element.initializer && (ts.isIdentifier(property) || ts.isStringLiteral(property))) {
              bind(element.name.text, { kind: 'destructured', initializer: initializer!, property: property.text });
            }
          }
          for (const bound of boundNames(ts, name)) bind(bound, { kind: 'other' });
        } else if (isConst && declaration.initializer) {
          bind(declaration.name.text, { kind: 'const', declaration, initializer: declaration.initializer });
        } else {
          bind(declaration.name.text, { kind: 'variable', declaration });
        }
      }
    } else if (ts.isFunctionDeclaration(statement) && statement.name) {
      bind(statement.name.text, { kind: 'function', declaration: statement });
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      bind(statement.name.text, { kind: 'class', declaration: statement });
    }
  }
  return bindings;
}

function boundNames(ts: TypeScript, pattern: ts.BindingPattern): string[] {
  const names: string[] = [];
  const stack: ts.BindingName[] = [pattern];
  while (stack.length > 0) {
    const binding = stack.pop()!;
    if (ts.isIdentifier(binding)) names.push(binding.text);
    else for (const element of binding.elements) if (!ts.isOmittedExpression(element)) stack.push(element.name);
  }
  return names;
}

function bindsName(ts: TypeScript, binding: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(binding)) return binding.text === name;
  return binding.elements.some((element) => !ts.isOmittedExpression(element) && bindsName(ts, element.name, name));
}
