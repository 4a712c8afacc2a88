import type { ts } from 'ts-morph';
import type { ClassSummary, ConstValue, TypeRef } from '../model/summary.js';
import type { NameReader } from './names.js';
import { hasModifier, positionOf, propertyNameText, symRefOf, typeRefOfNew, typeRefOfTypeNode, unwrap } from './syntax.js';
import type { TypeScript } from './typescript.js';

export interface ClassInfo {
  summary: ClassSummary;
  /** `static readonly X = '…'` fields, readable as `ClassName.X`. */
  statics?: ConstValue;
}

/**
 * What link needs of a class: its base class, the types of its fields (how injected services are
 * found), its methods, and the static values of its fields.
 */
export function summarizeClass(ts: TypeScript, node: ts.ClassLikeDeclaration, name: string, names: NameReader): ClassInfo {
  const summary: ClassSummary = {
    name,
    line: positionOf(node.getSourceFile(), node).line,
    implements: [],
    fields: {},
    methods: [],
    props: {},
  };
  for (const clause of node.heritageClauses ?? []) {
    for (const type of clause.types) {
      const ref = symRefOf(ts, type.expression);
      if (!ref) continue;
      if (clause.token === ts.SyntaxKind.ExtendsKeyword) summary.extends = ref;
      else summary.implements.push(ref);
    }
  }
  const statics: Record<string, ConstValue> = {};
  /** Getters without a return type that return a field: `get client() { …; return this._client; }`. */
  const getterFields: Array<[getter: string, field: string]> = [];
  for (const member of node.members) {
    const memberName = propertyNameText(ts, member.name);
    if (ts.isConstructorDeclaration(member)) {
      summary.methods.push('constructor');
      readConstructor(ts, member, summary.fields);
    } else if ((ts.isMethodDeclaration(member) || ts.isGetAccessorDeclaration(member)) && memberName) {
      summary.methods.push(memberName);
      if (!ts.isGetAccessorDeclaration(member)) continue;
      const type = typeRefOfTypeNode(ts, member.type);
      if (type) summary.fields[memberName] = type;
      const field = type ? undefined : returnedField(ts, member);
      if (field) getterFields.push([memberName, field]);
    } else if (ts.isPropertyDeclaration(member) && memberName) {
      const initializer = member.initializer && unwrap(ts, member.initializer);
      if (initializer && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer))) {
        summary.methods.push(memberName);
        continue;
      }
      const type = typeRefOfTypeNode(ts, member.type) ?? typeRefOfNew(ts, initializer);
      if (type) summary.fields[memberName] = type;
      const value = initializer && names.evaluate(initializer);
      if (!value) continue;
      if (hasModifier(ts, member, ts.SyntaxKind.StaticKeyword)) statics[memberName] = value;
      else summary.props[memberName] = value;
    }
  }
  for (const [getter, field] of getterFields) {
    const type = summary.fields[field];
    if (type && !summary.fields[getter]) summary.fields[getter] = type;
  }
  return Object.keys(statics).length > 0 ? { summary, statics: { kind: 'object', origin: 'class', entries: statics } } : { summary };
}

/** The field a getter returns when every `return` in its body is `return this.<field>` (guards may throw before). */
function returnedField(ts: TypeScript, getter: ts.GetAccessorDeclaration): string | undefined {
  const fields = new Set<string>();
  let other = false;
  const visit = (node: ts.Node): void => {
    if (other) return;
    if (ts.isReturnStatement(node)) {
      const value = node.expression && unwrap(ts, node.expression);
      if (value && ts.isPropertyAccessExpression(value) && value.expression.kind === ts.SyntaxKind.ThisKeyword) fields.add(value.name.text);
      else other = true;
      return;
    }
    // A nested function's returns are its own.
    if (ts.isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
  };
  if (getter.body) ts.forEachChild(getter.body, visit);
  return !other && fields.size === 1 ? [...fields][0] : undefined;
}

/** Parameter properties (`private readonly bus: EventBus`) and `this.x = new X()` / `this.x = typedParam`. */
function readConstructor(ts: TypeScript, constructor: ts.ConstructorDeclaration, fields: Record<string, TypeRef>): void {
  const parameterTypes = new Map<string, TypeRef>();
  for (const parameter of constructor.parameters) {
    if (!ts.isIdentifier(parameter.name)) continue;
    const type = typeRefOfTypeNode(ts, parameter.type);
    if (!type) continue;
    parameterTypes.set(parameter.name.text, type);
    if (ts.isParameterPropertyDeclaration(parameter, constructor)) fields[parameter.name.text] = type;
  }
  for (const statement of constructor.body?.statements ?? []) {
    if (!ts.isExpressionStatement(statement)) continue;
    const expression = statement.expression;
    if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const target = expression.left;
    if (!ts.isPropertyAccessExpression(target) || target.expression.kind !== ts.SyntaxKind.ThisKeyword) continue;
    const value = unwrap(ts, expression.right);
    const type = typeRefOfNew(ts, value) ?? (ts.isIdentifier(value) ? parameterTypes.get(value.text) : undefined);
    if (type && !fields[target.name.text]) fields[target.name.text] = type;
  }
}
