import type { ts } from 'ts-morph';
import type { DeclarationDraft, FileSummary, HandlerRef, NameExpr, RouteDraft, TypeRef } from '../../model/summary.js';
import type { TypeScript } from '../typescript.js';

/** What an adapter sees of the file it visits; every helper works on syntax alone. */
export interface ExtractContext {
  readonly ts: TypeScript;
  readonly sourceFile: ts.SourceFile;
  /** The event name an expression denotes, as far as this file alone can tell. */
  nameOf(expression: ts.Expression): NameExpr;
  /** The syntactic type of a receiver: `this`, a typed field or parameter, `new X()`, or a module value. */
  typeOf(expression: ts.Expression): TypeRef | undefined;
  /**
   * The handler an expression denotes: an inline function (which becomes a function of its own,
   * named after `hint`), a local function, `this.method`, or an imported binding.
   */
  handlerOf(expression: ts.Expression, hint: string, options?: HandlerOptions): HandlerRef | undefined;
  /** An event named by a class: `new OrderPlaced(…)`, `OrderPlaced`, `ofType(OrderPlaced)`. */
  classNameOf(expression: ts.Expression): NameExpr;
  /** Records a declaration at `node`, inside the function being walked. The draft can still be completed. */
  declare(node: ts.Node, draft: Omit<DeclarationDraft, 'line' | 'column' | 'function'>): DeclarationDraft;
  /** Records that messages published to `from` are delivered to the channel `to`. */
  route(node: ts.Node, draft: Omit<RouteDraft, 'line' | 'column'>): void;
  /** A property's value in an object literal (a method counts as its value). */
  property(object: ts.Expression | undefined, name: string): ts.Expression | undefined;
  /** The source text of a node, shortened for messages. */
  text(node: ts.Node): string;
}

/** Parameter `index`, then the property path to the event's name (kafkajs eachBatch: 0, ['batch', 'topic']). */
export interface EventParam {
  index: number;
  path: string[];
}

export interface HandlerOptions {
  /**
   * Where the handler receives the event's name (kafkajs: the `topic` property of parameter 0).
   * Branches on it (`switch (topic) { case Topics.X: … }`, `if (topic === X)`) then only count
   * for that event.
   */
  eventParam?: EventParam;
}

export interface AdapterVisitor {
  call?(node: ts.CallExpression): void;
  newExpression?(node: ts.NewExpression): void;
  decorator?(node: ts.Decorator): void;
  /** After the walk: pair what was seen in separate calls (a subscribe and its consumer's run). */
  finish?(): void;
}

/**
 * Framework knowledge, one module per library, shaped like a knip plugin: switched on by the
 * dependencies that name it, visiting only files whose text holds one of its tokens.
 */
export interface Adapter {
  id: string;
  title: string;
  /** Package names that switch the adapter on when any manifest in the repository depends on them. */
  enablers: string[];
  /** On without a dependency (Node built-ins). */
  builtin?: boolean;
  /** A file is parsed for this adapter only if its text contains one of these. */
  tokens: string[];
  docs: string;
  visitor(context: ExtractContext): AdapterVisitor;
  /**
   * Non-code files the adapter reads (serverless.yml, …): globs matched against paths relative to
   * the analyzed directory. Each matching file is handed to `extractConfigFile` as text.
   */
  configFiles?: string[];
  extractConfigFile?(file: string, text: string, context: ConfigFileContext): ConfigFileSummary | Promise<ConfigFileSummary>;
}

export interface ConfigFileContext {
  /**
   * Another file's text, by path relative to the analyzed directory (a `$ref` target). Undefined
   * when it does not exist or lies outside the analyzed directory: nothing else is ever read.
   */
  readFile(file: string): string | undefined;
  /** Whether a file readFile gave nothing for leads outside the analyzed directory (a symbolic link). */
  leadsOutside?(file: string): boolean;
}

/** What a non-code file declares. Handlers there name a module and an export: `{ module: './src/handler', export: 'main' }`. */
export type ConfigFileSummary = Pick<FileSummary, 'declarations' | 'routes' | 'diagnostics'> & Partial<Pick<FileSummary, 'suppressions'>>;
