import type { ts } from 'ts-morph';
import {
  MODULE_FUNCTION,
  type ArgValue,
  type CallSite,
  type CallTarget,
  type DeclarationDraft,
  type EventBranch,
  type FileSummary,
  type FunctionSummary,
  type GuardSite,
  type HandlerRef,
  type RouteDraft,
  type SummaryDiagnostic,
  type TypeRef,
} from '../model/summary.js';
import type { Adapter, AdapterVisitor, EventParam, ExtractContext, HandlerOptions } from './adapters/types.js';
import { summarizeClass, type ClassInfo } from './classes.js';
import { classifyCall, classifySqlTemplate, DEFAULT_VOCABULARY, isCounterUpdate, isProcessedCheck, type CallEvidence, type EffectVocabulary } from './effects.js';
import { readModuleBindings } from './module-bindings.js';
import { createNameReader, type NameReader } from './names.js';
import { forgetBlockBindings, lookupLocal } from './scope.js';
import { readSuppressions } from './suppressions.js';
import {
  forgetLineStarts,
  functionLikeKinds,
  isFunctionLikeNode,
  lineStarts,
  positionAt,
  positionIn,
  positionOf,
  propertyNameText,
  setParents,
  shortText,
  symRefOf,
  typeRefOfNew,
  typeRefOfTypeNode,
  unwrap,
  type FunctionLikeNode,
  type TreeOrder,
} from './syntax.js';
import { withFastMembers, type TypeScript } from './typescript.js';

export interface ExtractInput {
  /** Used only for its extension, which decides how the text is parsed. */
  fileName: string;
  text: string;
  adapters: readonly Adapter[];
  /** The effects and guards to look for in function bodies (default: DEFAULT_VOCABULARY). */
  vocabulary?: EffectVocabulary;
}

/**
 * The file summary of one file: a pure function of its text and the enabled adapters.
 * One walk over TypeScript's syntax tree; the type checker is never created.
 */
export function extractFileSummary(namespace: TypeScript, input: ExtractInput): FileSummary {
  const ts = withFastMembers(namespace);
  try {
    // Parent pointers are set by setParents (cheaper than the parser's pass), and JSDoc comments,
    // which extraction never reads, are not parsed.
    const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
    const sourceFile = ts.createSourceFile(input.fileName, input.text, options, false, scriptKindOf(ts, input.fileName));
    const order = setParents(ts, sourceFile, walkActions(ts).unlisted);
    const summary = new FileExtractor(ts, sourceFile, input.adapters, input.vocabulary ?? DEFAULT_VOCABULARY).run(order);
    summary.suppressions = readSuppressions(input.text);
    return summary;
  } catch (error) {
    // TypeScript's parser recurses: hundreds of nested blocks, or a thousand parentheses, exhaust the stack.
    if (!(error instanceof RangeError) || !error.message.includes('call stack')) throw error;
    return { ...emptySummary(), diagnostics: [tooDeeplyNested(ts, input)] };
  } finally {
    forgetLineStarts();
    forgetBlockBindings();
  }
}

/** Brackets nesting at least this deep are named as the place that is too deep. */
const DEEP_BRACKETS = 100;

/**
 * Where the parser ran out of stack depends on the stack it started with, so the diagnostic names
 * a place that does not: the first of the deepest brackets, when they are deep enough to be it.
 */
function tooDeeplyNested(ts: TypeScript, input: ExtractInput): SummaryDiagnostic {
  const deepest = deepestBracket(ts, input.text, scriptKindOf(ts, input.fileName));
  if (deepest.depth < DEEP_BRACKETS) return { code: 'parse-error', message: 'too deeply nested to analyze', line: 1, column: 1 };
  const message = `too deeply nested to analyze (brackets nest ${deepest.depth} deep)`;
  return { code: 'parse-error', message, ...positionIn(lineStarts(input.text), deepest.position) };
}

/** The deepest nesting of (), [], {} and template `${}`, by the scanner alone (no recursion). */
function deepestBracket(ts: TypeScript, text: string, kind: ts.ScriptKind): { depth: number; position: number } {
  const { SyntaxKind } = ts;
  const variant = kind === ts.ScriptKind.TS ? ts.LanguageVariant.Standard : ts.LanguageVariant.JSX;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, variant, text);
  const open: boolean[] = [];
  const deepest = { depth: 0, position: 0 };
  let previous = SyntaxKind.Unknown;
  for (let token = scanner.scan(); token !== SyntaxKind.EndOfFileToken; token = scanner.scan()) {
    if ((token === SyntaxKind.SlashToken || token === SyntaxKind.SlashEqualsToken) && !endsOperand(ts, previous)) token = scanner.reScanSlashToken();
    if (token === SyntaxKind.CloseBraceToken && open.at(-1) === true) token = scanner.reScanTemplateToken(false);
    if (token === SyntaxKind.OpenParenToken || token === SyntaxKind.OpenBracketToken || token === SyntaxKind.OpenBraceToken || token === SyntaxKind.TemplateHead) {
      open.push(token === SyntaxKind.TemplateHead);
      if (open.length > deepest.depth) Object.assign(deepest, { depth: open.length, position: scanner.getTokenStart() });
    } else if (token === SyntaxKind.CloseParenToken || token === SyntaxKind.CloseBracketToken || token === SyntaxKind.CloseBraceToken || token === SyntaxKind.TemplateTail) {
      open.pop();
    }
    previous = token;
  }
  return deepest;
}

/** After these, a slash divides; anywhere else it starts a regular expression. */
function endsOperand(ts: TypeScript, token: ts.SyntaxKind): boolean {
  const { SyntaxKind } = ts;
  return (
    token === SyntaxKind.Identifier ||
    token === SyntaxKind.CloseParenToken ||
    token === SyntaxKind.CloseBracketToken ||
    token === SyntaxKind.CloseBraceToken ||
    token === SyntaxKind.ThisKeyword ||
    token === SyntaxKind.SuperKeyword ||
    token === SyntaxKind.TemplateTail ||
    (token >= SyntaxKind.FirstLiteralToken && token <= SyntaxKind.LastLiteralToken)
  );
}

function emptySummary(): FileSummary {
  return { imports: [], exports: [], constants: {}, values: {}, classes: {}, functionNames: {}, functions: [], declarations: [], routes: [], suppressions: [], diagnostics: [] };
}

function scriptKindOf(ts: TypeScript, fileName: string): ts.ScriptKind {
  if (fileName.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (fileName.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[cm]?js$/.test(fileName)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

// What the walk does at a node, by its kind (see walkActions).
const VISIT = 0;
const SKIP = 1;
const CALL = 2;
const NEW = 3;
const DECORATOR = 4;
const IF = 5;
const SWITCH = 6;
const TAGGED_TEMPLATE = 7;
const COUNTER = 8;
const CLASS = 9;
const PROPERTY = 10;
const FUNCTION = 11;

// What the walk undoes after a node's subtree (NO_EXIT: nothing).
const NO_EXIT = -1;
const LEAVE_GUARD = 0;
const LEAVE_CLASS = 1;
const LEAVE_ENTRY = 2;

interface WalkTables {
  /** The action for each kind. */
  actions: Uint8Array;
  /** 1 for the kinds whose subtrees the walk skips. */
  unlisted: Uint8Array;
}

// Keyed by the SyntaxKind enum, which `ts` and withFastMembers(ts) share.
let walkTables: { kinds: object; tables: WalkTables } | undefined;

/**
 * The walk's action for each syntax kind, so that it dispatches once per node (a chain of
 * ts.isX tests per node cost more than the walk's real work). Built once per TypeScript module.
 */
function walkActions(ts: TypeScript): WalkTables {
  if (walkTables?.kinds === ts.SyntaxKind) return walkTables.tables;
  const { SyntaxKind } = ts;
  const actions = new Uint8Array(SyntaxKind.Count).fill(VISIT);
  // Tokens (identifiers, literals, keywords, punctuation) are most nodes and none of them is a
  // call, a function, a branch or an effect: what matters about them is read from their parent.
  actions.fill(SKIP, 0, SyntaxKind.LastToken + 1);
  actions.fill(SKIP, SyntaxKind.FirstTypeNode, SyntaxKind.LastTypeNode + 1);
  actions[SyntaxKind.InterfaceDeclaration] = SKIP;
  actions[SyntaxKind.TypeAliasDeclaration] = SKIP;
  actions[SyntaxKind.CallExpression] = CALL;
  actions[SyntaxKind.NewExpression] = NEW;
  actions[SyntaxKind.Decorator] = DECORATOR;
  actions[SyntaxKind.IfStatement] = IF;
  actions[SyntaxKind.SwitchStatement] = SWITCH;
  actions[SyntaxKind.TaggedTemplateExpression] = TAGGED_TEMPLATE;
  actions[SyntaxKind.BinaryExpression] = COUNTER;
  actions[SyntaxKind.PrefixUnaryExpression] = COUNTER;
  actions[SyntaxKind.PostfixUnaryExpression] = COUNTER;
  actions[SyntaxKind.ClassDeclaration] = CLASS;
  actions[SyntaxKind.ClassExpression] = CLASS;
  actions[SyntaxKind.PropertyDeclaration] = PROPERTY;
  for (const kind of functionLikeKinds(ts)) actions[kind] = FUNCTION;
  const unlisted = actions.map((action) => (action === SKIP ? 1 : 0));
  walkTables = { kinds: SyntaxKind, tables: { actions, unlisted } };
  return walkTables.tables;
}

interface EntryFrame {
  node: FunctionLikeNode;
  summary: FunctionSummary;
}

class FileExtractor {
  private readonly classStack: ClassInfo[] = [];
  private readonly entryStack: EntryFrame[] = [];
  private readonly entryIds = new Map<ts.Node, string | null>();
  /** The id of the nearest named function around a node, or the node itself (null: module level). */
  private readonly enclosingIds = new Map<ts.Node, string | null>();
  private readonly idOwners = new Map<string, ts.Node>();
  private readonly handlerIds = new Map<ts.Node, string>();
  private readonly classInfos = new Map<ts.Node, ClassInfo>();
  private readonly functions: FunctionSummary[] = [];
  private readonly fieldInitializers = new Map<string, FunctionSummary>();
  private readonly functionNames: Record<string, string> = {};
  private readonly declarations: DeclarationDraft[] = [];
  private readonly routes: RouteDraft[] = [];
  private readonly names: NameReader;
  /** Handlers that receive the event's name, and how. */
  private readonly eventParams = new Map<ts.Node, EventParam>();
  /** Branches that run only for one event: the branch's node → the event's name. */
  private readonly branchGuards = new Map<ts.Node, EventBranch>();
  private readonly guardStack: EventBranch[] = [];
  /** Guards that belong to a function before it is entered (a handler wrapped by makeIdempotent). */
  private readonly pendingGuards = new Map<ts.Node, GuardSite[]>();
  private callHooks: AdapterVisitor[] = [];
  private newHooks: AdapterVisitor[] = [];
  private decoratorHooks: AdapterVisitor[] = [];

  constructor(
    private readonly ts: TypeScript,
    private readonly sourceFile: ts.SourceFile,
    private readonly adapters: readonly Adapter[],
    private readonly vocabulary: EffectVocabulary,
  ) {
    this.names = createNameReader(ts, sourceFile, {
      currentClass: () => this.classStack.at(-1)?.summary,
      currentEntry: () => this.entryStack.at(-1)?.node,
    });
  }

  run(order: TreeOrder): FileSummary {
    const tables = readModuleBindings(this.ts, this.sourceFile, this.names, this.classInfos);
    const context = this.context();
    const visitors = this.adapters.map((adapter) => adapter.visitor(context));
    // Code at module level is a function of its own: it runs when the module is loaded.
    const moduleCode: FunctionSummary = { id: MODULE_FUNCTION, line: 1, column: 1, calls: [] };
    this.functions.push(moduleCode);
    this.entryStack.push({ node: this.sourceFile as unknown as FunctionLikeNode, summary: moduleCode });
    this.walk(order, visitors);
    for (const visitor of visitors) visitor.finish?.();
    // No spreads here and below where objects are built: a spread followed by more keys is slow in
    // V8, and these objects are built per file, per call and per declaration.
    return {
      imports: tables.imports,
      exports: tables.exports,
      constants: tables.constants,
      values: tables.values,
      classes: tables.classes,
      functionNames: this.functionNames,
      functions: this.functions,
      declarations: this.declarations,
      routes: this.routes,
      suppressions: [],
      diagnostics: this.parseDiagnostics(),
    };
  }

  /** Visits the listed nodes in order; what a node entered (a function, a class, a guard) is left after its subtree. */
  private walk(order: TreeOrder, visitors: AdapterVisitor[]): void {
    const { actions } = walkActions(this.ts);
    this.callHooks = visitors.filter((visitor) => visitor.call);
    this.newHooks = visitors.filter((visitor) => visitor.newExpression);
    this.decoratorHooks = visitors.filter((visitor) => visitor.decorator);
    const { nodes, depths } = order;
    // What to undo, and the depth of the node whose subtree it closes.
    const exits: number[] = [];
    const exitDepths: number[] = [];
    for (let index = 0; index < nodes.length; index++) {
      const node = nodes[index]!;
      const depth = depths[index]!;
      while (exitDepths.length > 0 && exitDepths[exitDepths.length - 1]! >= depth) {
        exitDepths.pop();
        this.leave(exits.pop()!);
      }
      const action = actions[node.kind]!;
      // Most nodes are plain (member accesses, statements, literals of objects) and guard nothing.
      if (action === VISIT && this.branchGuards.size === 0) continue;
      const exit = this.enter(node, action);
      if (exit !== NO_EXIT) {
        exits.push(exit);
        exitDepths.push(depth);
      }
      this.visit(node, action);
    }
    while (exits.length > 0) this.leave(exits.pop()!);
  }

  private enter(node: ts.Node, action: number): number {
    const guard = this.branchGuards.size > 0 ? this.branchGuards.get(node) : undefined;
    if (guard) {
      this.guardStack.push(guard);
      return LEAVE_GUARD;
    }
    switch (action) {
      case IF:
      case SWITCH:
        this.findEventBranches(node as ts.IfStatement | ts.SwitchStatement);
        return NO_EXIT;
      case CLASS: {
        const declaration = node as ts.ClassLikeDeclaration;
        this.classStack.push(this.classInfos.get(node) ?? summarizeClass(this.ts, declaration, this.className(declaration), this.names));
        return LEAVE_CLASS;
      }
      case PROPERTY:
        return this.enterProperty(node as ts.PropertyDeclaration);
      case FUNCTION:
        return this.enterFunction(node as FunctionLikeNode);
      default:
        return NO_EXIT;
    }
  }

  private leave(marker: number): void {
    if (marker === LEAVE_GUARD) this.guardStack.pop();
    else if (marker === LEAVE_CLASS) this.classStack.pop();
    else this.entryStack.pop();
  }

  /** What a node itself records: adapters' declarations, calls, effects and guards. */
  private visit(node: ts.Node, action: number): void {
    const { ts } = this;
    switch (action) {
      case CALL:
        this.visitCall(node as ts.CallExpression);
        return;
      case NEW:
        for (const visitor of this.newHooks) visitor.newExpression!(node as ts.NewExpression);
        return;
      case DECORATOR:
        this.visitDecorator(node as ts.Decorator);
        return;
      case IF:
        if (isProcessedCheck(ts, this.sourceFile, node as ts.IfStatement, this.vocabulary)) this.recordEvidence(node, { guard: 'processed-check' });
        return;
      case TAGGED_TEMPLATE:
        this.recordEvidence(node, classifySqlTemplate(ts, node as ts.TaggedTemplateExpression));
        return;
      case COUNTER:
        if (isCounterUpdate(ts, node)) this.recordEvidence(node, { effect: 'counter' });
        return;
      default:
        return;
    }
  }

  private visitCall(node: ts.CallExpression): void {
    const hooks = this.callHooks;
    for (let index = 0; index < hooks.length; index++) hooks[index]!.call!(node);
    this.recordCall(node);
    this.recordEvidence(node, classifyCall(this.ts, this.sourceFile, node, this.vocabulary));
  }

  private visitDecorator(node: ts.Decorator): void {
    const { ts } = this;
    for (const visitor of this.decoratorHooks) visitor.decorator!(node);
    const callee = ts.isCallExpression(node.expression) ? node.expression.expression : node.expression;
    if (ts.isIdentifier(callee) && this.vocabulary.helpers.includes(callee.text)) this.recordEvidence(node, { guard: 'helper' });
  }

  private enterProperty(node: ts.PropertyDeclaration): number {
    const { ts } = this;
    if (!node.initializer || !ts.isClassLike(node.parent) || isFunctionLikeNode(ts, unwrap(ts, node.initializer))) return NO_EXIT;
    this.enterFieldInitializers(node.parent);
    return LEAVE_ENTRY;
  }

  private enterFunction(node: FunctionLikeNode): number {
    const id = this.entryIdOf(node);
    if (!id) return NO_EXIT;
    const { line, column } = positionOf(this.sourceFile, node);
    const owner = this.thisClassOf(node);
    const pending = this.pendingGuards.get(node);
    // Built key by key, not with spreads (slow in V8): the keys' order is the summary's JSON.
    const summary: FunctionSummary = owner ? { id, className: owner, line, column, calls: [] } : { id, line, column, calls: [] };
    if (pending) summary.guards = [...pending];
    this.functions.push(summary);
    const topLevelName = this.topLevelName(node);
    if (topLevelName) this.functionNames[topLevelName] = id;
    this.entryStack.push({ node, summary });
    return LEAVE_ENTRY;
  }

  /**
   * Field initializers run when an instance is made, with `this` the instance: their code is a
   * function of its own (`Class.<fields>`), so `this.handle.bind(this)` there resolves.
   */
  private enterFieldInitializers(owner: ts.ClassLikeDeclaration): void {
    const className = this.className(owner);
    const id = `${className}.<fields>`;
    let summary = this.fieldInitializers.get(id);
    if (!summary) {
      const { line, column } = positionOf(this.sourceFile, owner);
      summary = { id, className, line, column, calls: [] };
      this.functions.push(summary);
      this.fieldInitializers.set(id, summary);
    }
    this.entryStack.push({ node: owner as unknown as FunctionLikeNode, summary });
  }

  /**
   * A function gets a summary of its own when something can call it by name: declared functions,
   * methods, functions assigned to variables or to properties of named objects, and handlers that
   * an adapter names. Other inline callbacks belong to the function around them.
   */
  private entryIdOf(node: FunctionLikeNode): string | undefined {
    const cached = this.entryIds.get(node);
    if (cached !== undefined) return cached ?? undefined;
    const base = this.handlerIds.get(node) ?? this.entryBaseName(node);
    let id: string | null = null;
    if (base) {
      const owner = this.idOwners.get(base);
      id = owner && owner !== node ? `${base}@${positionOf(this.sourceFile, node).line}` : base;
      this.idOwners.set(id, node);
    }
    this.entryIds.set(node, id);
    return id ?? undefined;
  }

  private entryBaseName(node: FunctionLikeNode): string | undefined {
    const { ts } = this;
    if (!node.body) return undefined;
    if (ts.isFunctionDeclaration(node)) return this.qualify(node.name?.text ?? 'default', node);
    const parent = skipWrappers(ts, node.parent);
    if (ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node)) {
      const member = ts.isConstructorDeclaration(node) ? 'constructor' : propertyNameText(ts, node.name);
      if (!member) return undefined;
      if (ts.isClassLike(node.parent)) return `${this.className(node.parent)}.${member}`;
      if (ts.isObjectLiteralExpression(node.parent)) {
        const object = this.objectPath(node.parent);
        return object && `${object}.${member}`;
      }
      return undefined;
    }
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return this.qualify(parent.name.text, parent);
    if (ts.isPropertyDeclaration(parent) && ts.isClassLike(parent.parent)) {
      const member = propertyNameText(ts, parent.name);
      return member && `${this.className(parent.parent)}.${member}`;
    }
    if (ts.isPropertyAssignment(parent) && ts.isObjectLiteralExpression(parent.parent)) {
      const member = propertyNameText(ts, parent.name);
      const object = this.objectPath(parent.parent);
      return member && object && `${object}.${member}`;
    }
    return undefined;
  }

  /** The dotted name of an object literal that has one (assigned, exported, or nested in one that has). */
  private objectPath(object: ts.ObjectLiteralExpression): string | undefined {
    const { ts } = this;
    const parent = skipWrappers(ts, object.parent);
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return this.qualify(parent.name.text, parent);
    if (ts.isExportAssignment(parent)) return 'default';
    if (ts.isPropertyAssignment(parent) && ts.isObjectLiteralExpression(parent.parent)) {
      const member = propertyNameText(ts, parent.name);
      const outer = this.objectPath(parent.parent);
      return member && outer && `${outer}.${member}`;
    }
    return undefined;
  }

  private qualify(name: string, node: ts.Node): string {
    const enclosing = this.enclosingEntryId(node);
    return enclosing ? `${enclosing}/${name}` : name;
  }

  private enclosingEntryId(node: ts.Node): string | undefined {
    // Memoized for every node passed on the way up: a long chain of calls would make this quadratic.
    const passed: ts.Node[] = [];
    let found: string | null = null;
    for (let current: ts.Node | undefined = node.parent; current; current = current.parent) {
      const known = this.enclosingIds.get(current);
      if (known !== undefined) {
        found = known;
        break;
      }
      passed.push(current);
      if (isFunctionLikeNode(this.ts, current)) {
        const id = this.entryIdOf(current);
        if (id) {
          found = id;
          break;
        }
      }
    }
    for (const passedNode of passed) this.enclosingIds.set(passedNode, found);
    return found ?? undefined;
  }

  private topLevelName(node: FunctionLikeNode): string | undefined {
    const { ts } = this;
    if (ts.isFunctionDeclaration(node)) return ts.isSourceFile(node.parent) ? (node.name?.text ?? 'default') : undefined;
    const parent = skipWrappers(ts, node.parent);
    if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) && ts.isSourceFile(parent.parent.parent.parent)) {
      return parent.name.text;
    }
    return undefined;
  }

  private className(node: ts.ClassLikeDeclaration): string {
    if (node.name) return node.name.text;
    const parent = skipWrappers(this.ts, node.parent);
    return this.ts.isVariableDeclaration(parent) && this.ts.isIdentifier(parent.name) ? parent.name.text : 'default';
  }

  /** The class `this` refers to in a function: its own for methods, the enclosing one for arrows. */
  private thisClassOf(node: FunctionLikeNode): string | undefined {
    const { ts } = this;
    if (ts.isClassLike(node.parent)) return this.classStack.at(-1)?.summary.name;
    const parent = skipWrappers(ts, node.parent);
    if (ts.isPropertyDeclaration(parent) && ts.isClassLike(parent.parent)) return this.classStack.at(-1)?.summary.name;
    if (ts.isArrowFunction(node)) return this.entryStack.at(-1)?.summary.className;
    return undefined;
  }

  private currentClassName(): string | undefined {
    return this.classStack.at(-1)?.summary.name;
  }

  private recordCall(node: ts.CallExpression): void {
    const { ts } = this;
    const entry = this.entryStack.at(-1);
    const callee = unwrap(ts, node.expression);
    const calleeName = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : 'callback';
    const args = node.arguments.map((argument) => this.argValueOf(argument, calleeName));
    if (!entry) return;
    const guard = this.guardStack.at(-1);
    const { line, column } = positionOf(this.sourceFile, node);
    const target = this.callTargetOf(callee);
    const calls = entry.summary.calls;
    if (target) {
      const call: CallSite = { target, line, column };
      if (args.some((arg) => arg !== null)) call.args = args;
      if (guard) call.guard = guard;
      calls.push(call);
    }
    // A callback is assumed to run when the function that passes it runs (forEach, then, retry…).
    for (const arg of args) {
      if (arg && 'handler' in arg && 'fn' in arg.handler) calls.push(guard ? { target: arg.handler, line, column, guard } : { target: arg.handler, line, column });
    }
  }

  /** An effect or a guard, in the function being walked (never in module-level code). */
  private recordEvidence(node: ts.Node, evidence: CallEvidence): void {
    const entry = this.entryStack.at(-1);
    if (!evidence || !entry || entry.summary.id === MODULE_FUNCTION) return;
    const { line, column } = positionOf(this.sourceFile, node);
    const text = shortText(this.sourceFile, node);
    if ('effect' in evidence) (entry.summary.effects ??= []).push({ kind: evidence.effect, line, column, text });
    else (entry.summary.guards ??= []).push({ kind: evidence.guard, line, column, text });
  }

  /** What an argument can tell a wrapper: a name-like expression, or a function. */
  private argValueOf(argument: ts.Expression, calleeName: string): ArgValue | null {
    const { ts } = this;
    const expression = unwrap(ts, argument);
    if (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) {
      const handler = this.handlerOf(expression, calleeName);
      return handler ? { handler } : null;
    }
    if (
      ts.isStringLiteralLike(expression) ||
      ts.isTemplateExpression(expression) ||
      ts.isIdentifier(expression) ||
      ts.isPropertyAccessExpression(expression) ||
      ts.isElementAccessExpression(expression) ||
      ts.isConditionalExpression(expression) ||
      (ts.isBinaryExpression(expression) && expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken)
    ) {
      return { name: this.names.nameOf(expression) };
    }
    if (ts.isCallExpression(expression)) {
      const inner = unwrap(ts, expression.expression);
      if (ts.isPropertyAccessExpression(inner) && inner.name.text === 'bind') {
        const handler = this.handlerOf(inner.expression, calleeName);
        return handler ? { handler } : null;
      }
    }
    if (ts.isNewExpression(expression)) {
      const ref = symRefOf(ts, expression.expression);
      return ref ? { name: { kind: 'class', ref, text: shortText(this.sourceFile, expression) } } : null;
    }
    return null;
  }

  /**
   * In a handler that receives the event's name, `switch (topic)` cases and `if (topic === X)`
   * branches run only for that event: their calls and declarations are guarded by it.
   */
  private findEventBranches(node: ts.SwitchStatement | ts.IfStatement): void {
    const { ts } = this;
    const entry = this.entryStack.at(-1);
    const eventParam = entry && this.eventParams.get(entry.node);
    if (!entry || !eventParam) return;
    const isEventName = (expression: ts.Expression) => this.isEventNameOf(unwrap(ts, expression), entry.node, eventParam);
    if (ts.isSwitchStatement(node)) {
      if (!isEventName(node.expression)) return;
      const cases = node.caseBlock.clauses.filter((clause): clause is ts.CaseClause => ts.isCaseClause(clause));
      for (const clause of cases) this.branchGuards.set(clause, { is: this.names.nameOf(clause.expression) });
      const fallback = node.caseBlock.clauses.find((clause) => ts.isDefaultClause(clause));
      if (fallback) this.branchGuards.set(fallback, { not: cases.map((clause) => this.names.nameOf(clause.expression)) });
      return;
    }
    const condition = unwrap(ts, node.expression);
    if (!ts.isBinaryExpression(condition)) return;
    const operator = condition.operatorToken.kind;
    if (operator !== ts.SyntaxKind.EqualsEqualsEqualsToken && operator !== ts.SyntaxKind.EqualsEqualsToken) return;
    const other = isEventName(condition.left) ? condition.right : isEventName(condition.right) ? condition.left : undefined;
    if (!other) return;
    this.branchGuards.set(node.thenStatement, { is: this.names.nameOf(other) });
    if (node.elseStatement) this.branchGuards.set(node.elseStatement, { not: [this.names.nameOf(other)] });
  }

  private isEventNameOf(expression: ts.Expression, handler: FunctionLikeNode, eventParam: EventParam): boolean {
    const { ts } = this;
    const parameter = handler.parameters[eventParam.index];
    if (!parameter) return false;
    const written: string[] = [];
    let current = expression;
    while (ts.isPropertyAccessExpression(current)) {
      written.unshift(current.name.text);
      current = unwrap(ts, current.expression);
    }
    if (!ts.isIdentifier(current)) return false;
    if (ts.isIdentifier(parameter.name)) return current.text === parameter.name.text && sameList(written, eventParam.path);
    if (!ts.isObjectBindingPattern(parameter.name)) return false;
    const [first, ...rest] = eventParam.path;
    return parameter.name.elements.some(
      (element) =>
        ts.isIdentifier(element.name) &&
        element.name.text === current.text &&
        (element.propertyName ? propertyNameText(ts, element.propertyName) : element.name.text) === first &&
        sameList(written, rest),
    );
  }

  private callTargetOf(callee: ts.Expression): CallTarget | undefined {
    const { ts } = this;
    if (ts.isIdentifier(callee)) return this.functionTargetOf(callee);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const method = callee.name.text;
    const receiver = unwrap(ts, callee.expression);
    if (receiver.kind === ts.SyntaxKind.SuperKeyword) {
      const base = this.classStack.at(-1)?.summary.extends;
      return base && { ref: { name: base.name, path: [...(base.path ?? []), method] } };
    }
    if (receiver.kind === ts.SyntaxKind.ThisKeyword) return this.currentClassName() ? { self: method } : undefined;
    const type = this.typeOf(receiver);
    if (!type) return undefined;
    if ('value' in type) return { ref: { name: type.value.name, path: [...(type.value.path ?? []), method] } };
    return { typed: type, path: [method] };
  }

  private functionTargetOf(identifier: ts.Identifier): CallTarget | undefined {
    const { ts } = this;
    const binding = lookupLocal(ts, identifier.text, identifier);
    if (binding.kind === 'module') return { ref: { name: identifier.text } };
    if (binding.kind === 'function') {
      const id = this.entryIdOf(binding.declaration);
      return id ? { fn: id } : undefined;
    }
    if (binding.kind === 'parameter') {
      if (binding.owner === this.entryStack.at(-1)?.node) return { param: binding.index };
      const owner = this.entryIdOf(binding.owner);
      return owner ? { param: binding.index, of: owner } : undefined;
    }
    if (binding.kind === 'const') {
      const initializer = unwrap(ts, binding.initializer);
      if (isFunctionLikeNode(ts, initializer)) {
        const id = this.entryIdOf(initializer);
        return id ? { fn: id } : undefined;
      }
    }
    return undefined;
  }

  private typeOf(input: ts.Expression): TypeRef | undefined {
    const { ts } = this;
    const expression = unwrap(ts, input);
    if (expression.kind === ts.SyntaxKind.ThisKeyword) {
      const name = this.currentClassName();
      return name ? { type: { name } } : undefined;
    }
    if (ts.isNewExpression(expression)) return typeRefOfNew(ts, expression);
    if (ts.isPropertyAccessExpression(expression) && expression.expression.kind === ts.SyntaxKind.ThisKeyword) {
      return this.classStack.at(-1)?.summary.fields[expression.name.text];
    }
    if (ts.isIdentifier(expression)) {
      const binding = lookupLocal(ts, expression.text, expression);
      switch (binding.kind) {
        case 'module':
          return { value: { name: expression.text } };
        case 'const':
        case 'variable':
          return typeRefOfTypeNode(ts, binding.declaration.type) ?? typeRefOfNew(ts, binding.declaration.initializer);
        case 'parameter':
          return typeRefOfTypeNode(ts, binding.declaration.type);
        default:
          return undefined;
      }
    }
    if (ts.isPropertyAccessExpression(expression)) {
      const path: string[] = [];
      let current: ts.Expression = expression;
      while (ts.isPropertyAccessExpression(current)) {
        path.unshift(current.name.text);
        current = unwrap(ts, current.expression);
      }
      if (ts.isIdentifier(current) && lookupLocal(ts, current.text, current).kind === 'module') {
        return { value: { name: current.text, path } };
      }
    }
    return undefined;
  }

  private handlerOf(input: ts.Expression, hint: string, options: HandlerOptions = {}): HandlerRef | undefined {
    const { ts } = this;
    const expression = unwrap(ts, input);
    if (ts.isArrowFunction(expression) || ts.isFunctionExpression(expression)) {
      if (!this.entryIds.has(expression) && !this.handlerIds.has(expression)) {
        const named = this.entryBaseName(expression);
        if (!named) this.handlerIds.set(expression, this.qualify(`${hint}@${positionOf(this.sourceFile, expression).line}`, expression));
      }
      if (options.eventParam) this.eventParams.set(expression, options.eventParam);
      const id = this.entryIdOf(expression);
      return id ? { fn: id } : undefined;
    }
    if (ts.isMethodDeclaration(expression as ts.Node)) {
      const method = expression as unknown as ts.MethodDeclaration;
      if (options.eventParam) this.eventParams.set(method, options.eventParam);
      if (!this.entryIds.has(method) && !this.handlerIds.has(method) && !this.entryBaseName(method)) {
        this.handlerIds.set(method, this.qualify(`${hint}@${positionOf(this.sourceFile, method).line}`, method));
      }
      const id = this.entryIdOf(method);
      return id ? { fn: id } : undefined;
    }
    if (ts.isIdentifier(expression)) return this.functionTargetOf(expression);
    if (ts.isPropertyAccessExpression(expression)) return this.callTargetOf(expression);
    if (ts.isCallExpression(expression)) {
      const callee = unwrap(ts, expression.expression);
      if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'bind') return this.handlerOf(callee.expression, hint);
      const callback = expression.arguments.find((argument) => isFunctionLikeNode(ts, unwrap(ts, argument)));
      const calleeName = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (callback && calleeName && this.vocabulary.helpers.includes(calleeName)) {
        // makeIdempotent(async (payload) => …): the wrapped handler runs behind the helper's guard.
        const guards = this.pendingGuards.get(unwrap(ts, callback)) ?? [];
        guards.push({ kind: 'helper', ...positionOf(this.sourceFile, expression), text: shortText(this.sourceFile, callee) });
        this.pendingGuards.set(unwrap(ts, callback), guards);
      }
      return callback ? this.handlerOf(callback, hint, options) : undefined;
    }
    return undefined;
  }

  private context(): ExtractContext {
    const { ts, sourceFile } = this;
    return {
      ts,
      sourceFile,
      nameOf: (expression) => this.names.nameOf(expression),
      typeOf: (expression) => this.typeOf(expression),
      handlerOf: (expression, hint, options) => this.handlerOf(expression, hint, options),
      classNameOf: (expression) => {
        const inner = unwrap(ts, expression);
        const ref = symRefOf(ts, ts.isNewExpression(inner) ? inner.expression : inner);
        return ref ? { kind: 'class', ref, text: shortText(sourceFile, inner) } : { kind: 'dynamic', text: shortText(sourceFile, inner) };
      },
      route: (node, draft) => {
        this.routes.push({ ...draft, ...positionOf(sourceFile, node) });
      },
      declare: (node, draft) => {
        const entry = this.entryStack.at(-1);
        const guard = this.guardStack.at(-1);
        // Keys in the order `{ ...draft, ...position, function, guard }` gives them (which is slow in V8).
        const declaration = Object.assign({}, draft) as DeclarationDraft;
        const { line, column } = positionOf(sourceFile, node);
        declaration.line = line;
        declaration.column = column;
        if (entry) declaration.function = entry.summary.id;
        if (guard) declaration.guard = guard;
        this.declarations.push(declaration);
        return declaration;
      },
      property: (object, name) => {
        if (!object) return undefined;
        const literal = unwrap(ts, object);
        if (!ts.isObjectLiteralExpression(literal)) return undefined;
        for (const property of literal.properties) {
          if (propertyNameText(ts, property.name) !== name) continue;
          if (ts.isPropertyAssignment(property)) return property.initializer;
          if (ts.isShorthandPropertyAssignment(property)) return property.name;
          if (ts.isMethodDeclaration(property)) return property as unknown as ts.Expression;
        }
        return undefined;
      },
      text: (node) => shortText(sourceFile, node),
    };
  }

  private parseDiagnostics(): SummaryDiagnostic[] {
    const { ts, sourceFile } = this;
    const diagnostics = (sourceFile as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
    const first = diagnostics[0];
    if (!first) return [];
    const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : '';
    return [
      {
        code: 'parse-error',
        message: `syntax error: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}${more}`,
        ...positionAt(sourceFile, first.start),
      },
    ];
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

function skipWrappers(ts: TypeScript, node: ts.Node): ts.Node {
  let current = node;
  while (
    ts.isParenthesizedExpression(current) ||
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isNonNullExpression(current)
  ) {
    current = current.parent;
  }
  return current;
}
