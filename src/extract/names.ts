import type { ts } from 'ts-morph';
import { lookupPath } from '../model/const-value.js';
import type { ClassSummary, ConstValue, NameExpr } from '../model/summary.js';
import { lookupLocal } from './scope.js';
import { propertyNameText, shortText, symRefOf, unwrap, type FunctionLikeNode } from './syntax.js';
import type { TypeScript } from './typescript.js';

/** Where a name is being read: the class and the function being walked. */
export interface NameScope {
  currentClass(): ClassSummary | undefined;
  currentEntry(): FunctionLikeNode | undefined;
}

export interface NameReader {
  /** The event name an expression denotes, with what only link can resolve left symbolic. */
  nameOf(expression: ts.Expression): NameExpr;
  /** The static value of an initializer: a string, an object of strings, or an expression of bindings. */
  evaluate(expression: ts.Expression): ConstValue | undefined;
}

const MAX_DEPTH = 8;

export function createNameReader(ts: TypeScript, sourceFile: ts.SourceFile, scope: NameScope): NameReader {
  const text = (node: ts.Node) => shortText(sourceFile, node);

  function nameOf(input: ts.Expression, depth = 0): NameExpr {
    const expression = unwrap(ts, input);
    if (ts.isStringLiteralLike(expression)) return { kind: 'literal', value: expression.text };
    if (depth > MAX_DEPTH) return { kind: 'dynamic', text: text(expression) };
    if (ts.isTemplateExpression(expression)) {
      const parts: NameExpr[] = [];
      if (expression.head.text) parts.push({ kind: 'literal', value: expression.head.text });
      for (const span of expression.templateSpans) {
        parts.push(nameOf(span.expression, depth + 1));
        if (span.literal.text) parts.push({ kind: 'literal', value: span.literal.text });
      }
      return { kind: 'template', parts, text: text(expression) };
    }
    if (ts.isBinaryExpression(expression)) {
      const operator = expression.operatorToken.kind;
      if (operator === ts.SyntaxKind.PlusToken) {
        return { kind: 'template', parts: [...partsOf(expression.left, depth), ...partsOf(expression.right, depth)], text: text(expression) };
      }
      if ((operator === ts.SyntaxKind.QuestionQuestionToken || operator === ts.SyntaxKind.BarBarToken) && isProcessEnv(expression.left)) {
        return { kind: 'env', fallback: nameOf(expression.right, depth + 1), text: text(expression) };
      }
      return { kind: 'dynamic', text: text(expression) };
    }
    if (ts.isConditionalExpression(expression)) {
      return { kind: 'choice', options: [nameOf(expression.whenTrue, depth + 1), nameOf(expression.whenFalse, depth + 1)], text: text(expression) };
    }
    if (ts.isIdentifier(expression)) return identifierName(expression, [], expression, depth);
    const ref = symRefOf(ts, expression);
    if (ref) return identifierName(rootIdentifier(expression), ref.path ?? [], expression, depth);
    const thisPath = thisPropertyPath(expression);
    if (thisPath) {
      const value = lookupPath(scope.currentClass()?.props[thisPath[0] ?? ''], thisPath.slice(1));
      if (value) return fromConst(value, text(expression));
      return { kind: 'ref', ref: { name: 'this', path: thisPath }, text: text(expression) };
    }
    return { kind: 'dynamic', text: text(expression) };
  }

  function partsOf(expression: ts.Expression, depth: number): NameExpr[] {
    const name = nameOf(expression, depth + 1);
    return name.kind === 'template' ? name.parts : [name];
  }

  function identifierName(identifier: ts.Identifier, path: string[], whole: ts.Expression, depth: number): NameExpr {
    const binding = lookupLocal(ts, identifier.text, identifier);
    switch (binding.kind) {
      case 'module':
        return { kind: 'ref', ref: path.length > 0 ? { name: identifier.text, path } : { name: identifier.text }, text: text(whole) };
      case 'const': {
        if (path.length === 0) {
          const name = nameOf(binding.initializer, depth + 1);
          return name.kind === 'literal' ? { kind: 'literal', value: name.value, constant: true } : name;
        }
        const value = lookupPath(evaluate(binding.initializer, depth + 1), path);
        return value ? fromConst(value, text(whole)) : { kind: 'dynamic', text: text(whole) };
      }
      case 'destructured': {
        // `const { X } = Topics` then `X`: read as `Topics.X`.
        const initializer = unwrap(ts, binding.initializer);
        const root = ts.isIdentifier(initializer) ? initializer : symRefOf(ts, initializer) ? rootIdentifier(initializer) : undefined;
        if (!root || depth > MAX_DEPTH) return { kind: 'dynamic', text: text(whole) };
        const rootPath = root === initializer ? [] : (symRefOf(ts, initializer)?.path ?? []);
        return identifierName(root, [...rootPath, binding.property, ...path], whole, depth + 1);
      }
      case 'parameter':
        return binding.owner === scope.currentEntry() && path.length === 0
          ? { kind: 'param', index: binding.index, text: text(whole) }
          : { kind: 'dynamic', text: text(whole) };
      default:
        return { kind: 'dynamic', text: text(whole) };
    }
  }

  function evaluate(input: ts.Expression, depth = 0): ConstValue | undefined {
    const expression = unwrap(ts, input);
    if (ts.isStringLiteralLike(expression)) return { kind: 'string', value: expression.text };
    if (depth > MAX_DEPTH) return undefined;
    if (ts.isObjectLiteralExpression(expression)) {
      const entries: Record<string, ConstValue> = {};
      for (const property of expression.properties) {
        const key = propertyNameText(ts, property.name);
        if (key === undefined) continue;
        const value = ts.isPropertyAssignment(property)
          ? evaluate(property.initializer, depth + 1)
          : ts.isShorthandPropertyAssignment(property)
            ? evaluate(property.name, depth + 1)
            : undefined;
        if (value) entries[key] = value;
      }
      return Object.keys(entries).length > 0 ? { kind: 'object', origin: 'object', entries } : undefined;
    }
    if (ts.isTemplateExpression(expression) || ts.isBinaryExpression(expression) || ts.isIdentifier(expression) || symRefOf(ts, expression)) {
      const name = nameOf(expression, depth + 1);
      if (name.kind === 'literal') return { kind: 'string', value: name.value };
      if (name.kind === 'dynamic' || name.kind === 'param') return undefined;
      return { kind: 'expr', expr: name };
    }
    return undefined;
  }

  function isProcessEnv(input: ts.Expression): boolean {
    const expression = unwrap(ts, input);
    const object = ts.isPropertyAccessExpression(expression) || ts.isElementAccessExpression(expression) ? unwrap(ts, expression.expression) : undefined;
    return (
      object !== undefined &&
      ts.isPropertyAccessExpression(object) &&
      object.name.text === 'env' &&
      ts.isIdentifier(object.expression) &&
      object.expression.text === 'process'
    );
  }

  function rootIdentifier(expression: ts.Expression): ts.Identifier {
    let current = unwrap(ts, expression);
    while (ts.isPropertyAccessExpression(current) || ts.isElementAccessExpression(current)) current = unwrap(ts, current.expression);
    return current as ts.Identifier;
  }

  function thisPropertyPath(expression: ts.Expression): string[] | undefined {
    const path: string[] = [];
    let current = expression;
    while (ts.isPropertyAccessExpression(current)) {
      path.unshift(current.name.text);
      current = unwrap(ts, current.expression);
    }
    return current.kind === ts.SyntaxKind.ThisKeyword && path.length > 0 ? path : undefined;
  }

  return { nameOf: (expression) => nameOf(expression), evaluate: (expression) => evaluate(expression) };
}

function fromConst(value: ConstValue, text: string): NameExpr {
  if (value.kind === 'string') return { kind: 'literal', value: value.value, constant: true };
  if (value.kind === 'expr') return value.expr;
  return { kind: 'dynamic', text };
}
