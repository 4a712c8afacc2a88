import type { ts } from 'ts-morph';
import { lookupPath } from '../model/const-value.js';
import type { ConstValue, FileSummary, NameExpr } from '../model/summary.js';
import { summarizeClass, type ClassInfo } from './classes.js';
import type { NameReader } from './names.js';
import { hasModifier, propertyNameText, requireSpecifier, shortText, symRefOf, typeRefOfNew, typeRefOfTypeNode, unwrap } from './syntax.js';
import type { TypeScript } from './typescript.js';

type ModuleTables = Pick<FileSummary, 'imports' | 'exports' | 'constants' | 'values' | 'classes'>;

/**
 * The module-level tables of a file: imports, exports (ESM and CommonJS), constants, typed
 * values and classes. Link resolves every cross-file reference through these alone.
 */
export function readModuleBindings(
  ts: TypeScript,
  sourceFile: ts.SourceFile,
  names: NameReader,
  classInfos: Map<ts.Node, ClassInfo>,
): ModuleTables {
  const tables: ModuleTables = { imports: [], exports: [], constants: {}, values: {}, classes: {} };
  const exportLocal = (exported: string, local: string) => tables.exports.push({ exported, local });

  const addClass = (node: ts.ClassLikeDeclaration, name: string) => {
    const info = summarizeClass(ts, node, name, names);
    classInfos.set(node, info);
    tables.classes[name] = info.summary;
    if (info.statics) tables.constants[name] = info.statics;
  };

  for (const statement of sourceFile.statements) {
    const exported = hasModifier(ts, statement, ts.SyntaxKind.ExportKeyword);
    const isDefault = hasModifier(ts, statement, ts.SyntaxKind.DefaultKeyword);

    if (ts.isImportDeclaration(statement)) {
      readImport(ts, statement, tables);
    } else if (ts.isImportEqualsDeclaration(statement)) {
      const reference = statement.moduleReference;
      if (ts.isExternalModuleReference(reference) && ts.isStringLiteralLike(reference.expression)) {
        tables.imports.push({ local: statement.name.text, imported: '*', from: reference.expression.text });
      }
    } else if (ts.isVariableStatement(statement)) {
      const isConst = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0;
      for (const declaration of statement.declarationList.declarations) {
        readVariable(declaration, isConst, exported);
      }
    } else if (ts.isFunctionDeclaration(statement)) {
      const name = statement.name?.text ?? (isDefault ? 'default' : undefined);
      if (name && exported) exportLocal(isDefault ? 'default' : name, name);
    } else if (ts.isClassDeclaration(statement)) {
      const name = statement.name?.text ?? 'default';
      addClass(statement, name);
      if (exported) exportLocal(isDefault ? 'default' : name, name);
    } else if (ts.isEnumDeclaration(statement)) {
      const entries: Record<string, ConstValue> = {};
      const enumName = statement.name.text;
      const members = new Set(statement.members.map((member) => propertyNameText(ts, member.name)));
      for (const member of statement.members) {
        const key = propertyNameText(ts, member.name);
        const value = member.initializer && names.evaluate(member.initializer);
        if (key !== undefined && value) entries[key] = qualifyMembers(value, enumName, members);
      }
      if (Object.keys(entries).length > 0) tables.constants[statement.name.text] = { kind: 'object', origin: 'enum', entries };
      if (exported) exportLocal(statement.name.text, statement.name.text);
    } else if (ts.isExportDeclaration(statement)) {
      readExportDeclaration(ts, statement, tables);
    } else if (ts.isExportAssignment(statement)) {
      const expression = unwrap(ts, statement.expression);
      if (ts.isIdentifier(expression)) exportLocal('default', expression.text);
      else if (ts.isClassExpression(expression)) {
        addClass(expression, expression.name?.text ?? 'default');
        exportLocal('default', expression.name?.text ?? 'default');
      } else if (!readExportedValue('default', expression) && ts.isObjectLiteralExpression(expression)) {
        // An object of methods: they are summarized as functions `default.method`, which link reaches by this name.
        exportLocal('default', 'default');
      }
    } else if (ts.isExpressionStatement(statement)) {
      readCommonJsExport(statement.expression);
    }
  }
  return tables;

  function readVariable(declaration: ts.VariableDeclaration, isConst: boolean, exported: boolean): void {
    const initializer = declaration.initializer && unwrap(ts, declaration.initializer);
    if (ts.isObjectBindingPattern(declaration.name)) {
      const from = requireSpecifier(ts, initializer);
      if (!from) {
        if (isConst && initializer) readDestructured(declaration.name, initializer, exported);
        return;
      }
      for (const element of declaration.name.elements) {
        if (!ts.isIdentifier(element.name)) continue;
        const imported = element.propertyName ? propertyNameText(ts, element.propertyName) : element.name.text;
        if (imported) tables.imports.push({ local: element.name.text, imported, from });
      }
      return;
    }
    if (!ts.isIdentifier(declaration.name)) return;
    const name = declaration.name.text;
    if (exported) exportLocal(name, name);
    const from = requireSpecifier(ts, initializer);
    if (from) {
      tables.imports.push({ local: name, imported: '*', from });
      return;
    }
    if (initializer && ts.isPropertyAccessExpression(initializer)) {
      const required = requireSpecifier(ts, initializer.expression);
      if (required) {
        tables.imports.push({ local: name, imported: initializer.name.text, from: required });
        return;
      }
    }
    if (initializer && ts.isClassExpression(initializer)) {
      addClass(initializer, name);
      return;
    }
    const type = typeRefOfTypeNode(ts, declaration.type) ?? typeRefOfNew(ts, initializer);
    if (type) tables.values[name] = type;
    if (isConst && initializer && !ts.isArrowFunction(initializer) && !ts.isFunctionExpression(initializer)) {
      const value = names.evaluate(initializer);
      if (value) tables.constants[name] = value;
    }
  }

  /** `const { A, B: b } = Topics`: each name is a property of what link resolves `Topics` to (or of an object literal here). */
  function readDestructured(pattern: ts.ObjectBindingPattern, initializer: ts.Expression, exported: boolean): void {
    const source = symRefOf(ts, initializer);
    const literal = source ? undefined : names.evaluate(initializer);
    for (const element of pattern.elements) {
      // A default (`{ A = 'x' }`) or a rest element has no single value to name.
      if (element.dotDotDotToken || element.initializer || !ts.isIdentifier(element.name)) continue;
      const property = element.propertyName ? propertyNameText(ts, element.propertyName) : element.name.text;
      if (property === undefined) continue;
      const local = element.name.text;
      if (exported) exportLocal(local, local);
      const value: ConstValue | undefined = source
        ? { kind: 'expr', expr: { kind: 'ref', ref: { name: source.name, path: [...(source.path ?? []), property] }, text: `${shortText(sourceFile, initializer)}.${property}` } }
        : lookupPath(literal, [property]);
      if (value) tables.constants[local] = value;
    }
  }

  /** `module.exports = …`, `module.exports.X = …`, `exports.X = …`. */
  function readCommonJsExport(expression: ts.Expression): void {
    if (!ts.isBinaryExpression(expression) || expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return;
    const target = symRefOf(ts, expression.left);
    if (!target) return;
    const path = target.path ?? [];
    const value = unwrap(ts, expression.right);
    if (target.name === 'module' && path.length === 1 && path[0] === 'exports') {
      if (ts.isObjectLiteralExpression(value)) {
        for (const property of value.properties) {
          const key = propertyNameText(ts, property.name);
          if (key === undefined) continue;
          if (ts.isShorthandPropertyAssignment(property)) exportLocal(key, property.name.text);
          else if (ts.isPropertyAssignment(property)) readExportedValue(key, unwrap(ts, property.initializer));
        }
      } else if (ts.isIdentifier(value)) exportLocal('default', value.text);
      else readExportedValue('default', value);
      return;
    }
    const exportedName =
      target.name === 'exports' && path.length === 1 ? path[0] : target.name === 'module' && path.length === 2 && path[0] === 'exports' ? path[1] : undefined;
    if (exportedName) {
      if (ts.isIdentifier(value)) exportLocal(exportedName, value.text);
      else readExportedValue(exportedName, value);
    }
  }

  /** An exported expression with no local name gets a synthetic one, so link can reach its value; false when there is none to reach. */
  function readExportedValue(exported: string, value: ts.Expression): boolean {
    const local = `<export:${exported}>`;
    const constant = names.evaluate(value);
    const type = typeRefOfNew(ts, value);
    if (constant) tables.constants[local] = constant;
    if (type) tables.values[local] = type;
    if (constant || type) exportLocal(exported, local);
    return constant !== undefined || type !== undefined;
  }
}

/** Inside an enum, a member's bare name (`Legacy = Placed`) is the enum's member: `OrderTopic.Placed`. */
function qualifyMembers(value: ConstValue, enumName: string, members: ReadonlySet<string | undefined>): ConstValue {
  if (value.kind !== 'expr') return value;
  const qualify = (expression: NameExpr): NameExpr => {
    switch (expression.kind) {
      case 'ref':
        return !expression.ref.path && members.has(expression.ref.name) ? { ...expression, ref: { name: enumName, path: [expression.ref.name] } } : expression;
      case 'template':
        return { ...expression, parts: expression.parts.map(qualify) };
      case 'env':
        return { ...expression, fallback: qualify(expression.fallback) };
      case 'choice':
        return { ...expression, options: expression.options.map(qualify) };
      default:
        return expression;
    }
  };
  return { kind: 'expr', expr: qualify(value.expr) };
}

function readImport(ts: TypeScript, statement: ts.ImportDeclaration, tables: ModuleTables): void {
  if (!ts.isStringLiteralLike(statement.moduleSpecifier)) return;
  const from = statement.moduleSpecifier.text;
  const clause = statement.importClause;
  if (!clause) return;
  if (clause.name) tables.imports.push({ local: clause.name.text, imported: 'default', from });
  const bindings = clause.namedBindings;
  if (!bindings) return;
  if (ts.isNamespaceImport(bindings)) {
    tables.imports.push({ local: bindings.name.text, imported: '*', from });
    return;
  }
  for (const element of bindings.elements) {
    const imported = element.propertyName ? propertyNameText(ts, element.propertyName) : element.name.text;
    if (imported) tables.imports.push({ local: element.name.text, imported, from });
  }
}

function readExportDeclaration(ts: TypeScript, statement: ts.ExportDeclaration, tables: ModuleTables): void {
  const from = statement.moduleSpecifier && ts.isStringLiteralLike(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
  const clause = statement.exportClause;
  if (!clause) {
    if (from) tables.exports.push({ exported: '*', from });
    return;
  }
  if (ts.isNamespaceExport(clause)) {
    if (from) tables.exports.push({ exported: clause.name.text, from, imported: '*' });
    return;
  }
  for (const element of clause.elements) {
    const exported = element.name.text;
    const original = element.propertyName ? (propertyNameText(ts, element.propertyName) ?? exported) : exported;
    tables.exports.push(from ? { exported, from, imported: original } : { exported, local: original });
  }
}
