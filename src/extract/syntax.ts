import type { ts } from 'ts-morph';
import type { SymRef, TypeRef } from '../model/summary.js';
import type { TypeScript } from './typescript.js';

export type FunctionLikeNode =
  | ts.FunctionDeclaration
  | ts.FunctionExpression
  | ts.ArrowFunction
  | ts.MethodDeclaration
  | ts.ConstructorDeclaration
  | ts.GetAccessorDeclaration
  | ts.SetAccessorDeclaration;

export function isFunctionLikeNode(ts: TypeScript, node: ts.Node): node is FunctionLikeNode {
  return (
    ts.isFunctionDeclaration(node) ||
    ts.isFunctionExpression(node) ||
    ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) ||
    ts.isConstructorDeclaration(node) ||
    ts.isGetAccessorDeclaration(node) ||
    ts.isSetAccessorDeclaration(node)
  );
}

/** Strips what does not change a value: parentheses, `as`, `satisfies`, `!`, `<T>x`. */
export function unwrap(ts: TypeScript, expression: ts.Expression): ts.Expression {
  let current = expression;
  for (;;) {
    if (
      ts.isParenthesizedExpression(current) ||
      ts.isAsExpression(current) ||
      ts.isSatisfiesExpression(current) ||
      ts.isNonNullExpression(current) ||
      ts.isTypeAssertionExpression(current)
    ) {
      current = current.expression;
    } else {
      return current;
    }
  }
}

export function propertyNameText(ts: TypeScript, name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const inner = unwrap(ts, name.expression);
    if (ts.isStringLiteralLike(inner)) return inner.text;
  }
  return undefined;
}

/** `A`, `A.B.C` and `A['B']` as a symbolic reference; anything else is not one. */
export function symRefOf(ts: TypeScript, expression: ts.Expression): SymRef | undefined {
  const path: string[] = [];
  let current = unwrap(ts, expression);
  for (;;) {
    if (ts.isPropertyAccessExpression(current)) {
      path.unshift(current.name.text);
      current = unwrap(ts, current.expression);
    } else if (ts.isElementAccessExpression(current) && ts.isStringLiteralLike(unwrap(ts, current.argumentExpression))) {
      path.unshift((unwrap(ts, current.argumentExpression) as ts.StringLiteralLike).text);
      current = unwrap(ts, current.expression);
    } else if (ts.isIdentifier(current)) {
      return path.length > 0 ? { name: current.text, path } : { name: current.text };
    } else if (ts.isExpressionWithTypeArguments(current)) {
      current = current.expression;
    } else {
      return undefined;
    }
  }
}

/** The named type of an annotation: `Foo`, `ns.Foo`, `Foo<T>`, `Foo | undefined`. */
export function typeRefOfTypeNode(ts: TypeScript, node: ts.TypeNode | undefined): TypeRef | undefined {
  if (!node) return undefined;
  if (ts.isTypeReferenceNode(node)) {
    const path: string[] = [];
    let name: ts.EntityName = node.typeName;
    while (ts.isQualifiedName(name)) {
      path.unshift(name.right.text);
      name = name.left;
    }
    return { type: path.length > 0 ? { name: name.text, path } : { name: name.text } };
  }
  if (ts.isUnionTypeNode(node)) {
    const named = node.types.filter((member) => ts.isTypeReferenceNode(member));
    return named.length === 1 ? typeRefOfTypeNode(ts, named[0]) : undefined;
  }
  if (ts.isParenthesizedTypeNode(node)) return typeRefOfTypeNode(ts, node.type);
  return undefined;
}

/** The class a `new` expression constructs, as a type reference. */
export function typeRefOfNew(ts: TypeScript, expression: ts.Expression | undefined): TypeRef | undefined {
  if (!expression) return undefined;
  const inner = unwrap(ts, expression);
  if (!ts.isNewExpression(inner)) return undefined;
  const ref = symRefOf(ts, inner.expression);
  return ref && { type: ref };
}

export interface Position {
  line: number;
  column: number;
}

/** 1-based line and column of a node's first token. */
export function positionOf(sourceFile: ts.SourceFile, node: ts.Node): Position {
  return positionAt(sourceFile, node.getStart(sourceFile));
}

const lineStartsOfFile = new WeakMap<ts.SourceFile, number[]>();

/**
 * 1-based line and column of an offset. Lines end at "\n" only, as git, GitHub annotations,
 * SARIF viewers and suppression comments count them; TypeScript's own line map also breaks at
 * U+2028, U+2029 (legal inside strings) and a lone "\r".
 */
export function positionAt(sourceFile: ts.SourceFile, offset: number): Position {
  let starts = lineStartsOfFile.get(sourceFile);
  if (!starts) {
    starts = lineStarts(sourceFile.text);
    lineStartsOfFile.set(sourceFile, starts);
  }
  return positionIn(starts, offset);
}

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

export function positionIn(starts: readonly number[], offset: number): Position {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (starts[middle]! <= offset) low = middle + 1;
    else high = middle;
  }
  return { line: low, column: offset - starts[low - 1]! + 1 };
}

const MAX_TEXT = 120;

/** A node's text on one line, at most MAX_TEXT long. */
export function shortText(sourceFile: ts.SourceFile, node: ts.Node): string {
  // Only the beginning is collapsed: the text of a call at the head of a long chain is the whole chain.
  const start = node.getStart(sourceFile);
  const bound = start + MAX_TEXT * 8;
  let text = sourceFile.text.slice(start, Math.min(node.end, bound)).replace(/\s+/g, ' ');
  if (text.length <= MAX_TEXT && node.end > bound) text = sourceFile.text.slice(start, node.end).replace(/\s+/g, ' ');
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

export function hasModifier(ts: TypeScript, node: ts.Node, kind: ts.SyntaxKind): boolean {
  return (ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined)?.some((modifier) => modifier.kind === kind) ?? false;
}

/** `require('x')` → 'x'. */
export function requireSpecifier(ts: TypeScript, expression: ts.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  const inner = unwrap(ts, expression);
  if (!ts.isCallExpression(inner) || !ts.isIdentifier(inner.expression) || inner.expression.text !== 'require') return undefined;
  const [argument] = inner.arguments;
  return argument && ts.isStringLiteralLike(argument) ? argument.text : undefined;
}
