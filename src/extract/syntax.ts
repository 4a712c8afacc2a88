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

/** The kinds of FunctionLikeNode, for the tables that dispatch on a node's kind. */
export function functionLikeKinds(ts: TypeScript): ts.SyntaxKind[] {
  const { SyntaxKind } = ts;
  return [SyntaxKind.FunctionDeclaration, SyntaxKind.FunctionExpression, SyntaxKind.ArrowFunction, SyntaxKind.MethodDeclaration, SyntaxKind.Constructor, SyntaxKind.GetAccessor, SyntaxKind.SetAccessor];
}

export function isFunctionLikeNode(ts: TypeScript, node: ts.Node): node is FunctionLikeNode {
  // Kind comparisons rather than seven ts.isX calls: this runs for most nodes of every file.
  const kind = node.kind;
  const { SyntaxKind } = ts;
  return (
    kind === SyntaxKind.FunctionDeclaration ||
    kind === SyntaxKind.FunctionExpression ||
    kind === SyntaxKind.ArrowFunction ||
    kind === SyntaxKind.MethodDeclaration ||
    kind === SyntaxKind.Constructor ||
    kind === SyntaxKind.GetAccessor ||
    kind === SyntaxKind.SetAccessor
  );
}

/** Nodes in the order of a depth-first walk, each with its depth (the source file's is 0). */
export interface TreeOrder {
  nodes: ts.Node[];
  depths: number[];
}

/**
 * Sets every node's `parent`, as `ts.createSourceFile(…, setParentNodes: true)` does but for
 * JSDoc nodes, which extraction never reads, and lists the nodes in the order of a depth-first walk
 * but for those whose kind `unlisted` marks, and their subtrees. One loop over a shared stack costs
 * half of TypeScript's pass (which allocates an array of children per node), and listing the nodes
 * here saves the extraction walk a second pass. Iterative: nesting cannot overflow the stack.
 */
export function setParents(ts: TypeScript, sourceFile: ts.SourceFile, unlisted: Uint8Array): TreeOrder {
  const lastToken = ts.SyntaxKind.LastToken;
  const order: TreeOrder = { nodes: [], depths: [] };
  const stack: ts.Node[] = [sourceFile];
  // The depth of each node on the stack, -1 in an unlisted subtree.
  const stackDepths: number[] = [0];
  let parent: ts.Node = sourceFile;
  let childDepth = 0;
  const adopt = (child: ts.Node): undefined => {
    (child as { parent: ts.Node }).parent = parent;
    // Tokens have no children, and none is listed.
    if (child.kind > lastToken) {
      stack.push(child);
      stackDepths.push(childDepth < 0 || unlisted[child.kind] !== 0 ? -1 : childDepth);
    }
    return undefined;
  };
  while (stack.length > 0) {
    parent = stack.pop()!;
    const depth = stackDepths.pop()!;
    if (depth >= 0) {
      order.nodes.push(parent);
      order.depths.push(depth);
    }
    childDepth = depth < 0 ? -1 : depth + 1;
    const first = stack.length;
    ts.forEachChild(parent, adopt);
    // forEachChild gives children first to last; the stack must pop them in that order.
    reverseFrom(stack, first);
    reverseFrom(stackDepths, first);
  }
  return order;
}

/** Reverses `items` from `start` to its end, in place. */
function reverseFrom(items: unknown[], start: number): void {
  for (let low = start, high = items.length - 1; low < high; low++, high--) {
    const item = items[low];
    items[low] = items[high];
    items[high] = item;
  }
}

/** Strips what does not change a value: parentheses, `as`, `satisfies`, `!`, `<T>x`. */
export function unwrap(ts: TypeScript, expression: ts.Expression): ts.Expression {
  const { SyntaxKind } = ts;
  let current = expression;
  for (;;) {
    const kind = current.kind;
    if (
      kind === SyntaxKind.ParenthesizedExpression ||
      kind === SyntaxKind.AsExpression ||
      kind === SyntaxKind.SatisfiesExpression ||
      kind === SyntaxKind.NonNullExpression ||
      kind === SyntaxKind.TypeAssertionExpression
    ) {
      current = (current as ts.ParenthesizedExpression).expression;
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
  return positionAt(sourceFile, startOf(sourceFile, node));
}

/**
 * Where a node's first token starts: `node.getStart(sourceFile)`, whose scan of the trivia before
 * the token handles comments, conflict markers, shebangs and Unicode spaces. Most nodes are preceded
 * by nothing or by plain spaces and line breaks: those are skipped here, the rest is left to it.
 */
export function startOf(sourceFile: ts.SourceFile, node: ts.Node): number {
  const text = sourceFile.text;
  let position = node.pos;
  // A missing node (pos === end) starts at its pos; getStart knows which are missing.
  if (position >= node.end) return node.getStart(sourceFile);
  for (;;) {
    const code = text.charCodeAt(position);
    if (code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d) position++;
    else if (isPlainTokenStart(code)) return position;
    else return node.getStart(sourceFile);
  }
}

/** ASCII that starts a token and no trivia: not a slash (comments), `<|=>` (conflict markers), `#` (shebang), whitespace. */
function isPlainTokenStart(code: number): boolean {
  return code > 0x20 && code < 0x7f && code !== 0x2f && code !== 0x3c && code !== 0x7c && code !== 0x3d && code !== 0x3e && code !== 0x23;
}

// The line starts of the file being extracted: one file at a time, so one entry (a WeakMap's weak
// entries cost every garbage collection). Extraction forgets it when the file is done.
let lineStartsFile: ts.SourceFile | undefined;
let lineStartsOfFile: number[] = [];

/**
 * 1-based line and column of an offset. Lines end at "\n" only, as git, GitHub annotations,
 * SARIF viewers and suppression comments count them; TypeScript's own line map also breaks at
 * U+2028, U+2029 (legal inside strings) and a lone "\r".
 */
export function positionAt(sourceFile: ts.SourceFile, offset: number): Position {
  if (sourceFile !== lineStartsFile) {
    lineStartsOfFile = lineStarts(sourceFile.text);
    lineStartsFile = sourceFile;
  }
  return positionIn(lineStartsOfFile, offset);
}

/** Drops the line starts kept for the last file, so that its syntax tree can be collected. */
export function forgetLineStarts(): void {
  lineStartsFile = undefined;
  lineStartsOfFile = [];
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
  const start = startOf(sourceFile, node);
  const bound = start + MAX_TEXT * 8;
  let text = sourceFile.text.slice(start, Math.min(node.end, bound)).replace(/\s+/g, ' ');
  if (text.length <= MAX_TEXT && node.end > bound) text = sourceFile.text.slice(start, node.end).replace(/\s+/g, ' ');
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

export function hasModifier(ts: TypeScript, node: ts.Node, kind: ts.SyntaxKind): boolean {
  if (!ts.canHaveModifiers(node)) return false;
  // node.modifiers itself, not ts.getModifiers (a filtered copy without decorators): a decorator's kind is never a modifier's.
  const modifiers = node.modifiers;
  if (!modifiers) return false;
  for (let index = 0; index < modifiers.length; index++) if (modifiers[index]!.kind === kind) return true;
  return false;
}

/** `require('x')` → 'x'. */
export function requireSpecifier(ts: TypeScript, expression: ts.Expression | undefined): string | undefined {
  if (!expression) return undefined;
  const inner = unwrap(ts, expression);
  if (!ts.isCallExpression(inner) || !ts.isIdentifier(inner.expression) || inner.expression.text !== 'require') return undefined;
  const [argument] = inner.arguments;
  return argument && ts.isStringLiteralLike(argument) ? argument.text : undefined;
}
