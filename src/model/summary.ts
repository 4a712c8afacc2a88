/**
 * The file summary: what extract produces for one file and link consumes. It is plain, serializable
 * data, independent of the file's path (so a content-addressed cache can reuse it), and names
 * everything symbolically: other files are reached only through import bindings.
 */

/** A binding in the file's scope, optionally followed by property names: `Topics.ORDER_CREATED`. */
export interface SymRef {
  name: string;
  path?: string[];
}

/** How an event-name expression was written, before link resolves the bindings it mentions. */
export type NameExpr =
  /** `constant` when the literal came from a local `const`. */
  | { kind: 'literal'; value: string; constant?: boolean }
  | { kind: 'ref'; ref: SymRef; text: string }
  | { kind: 'template'; parts: NameExpr[]; text: string }
  | { kind: 'env'; fallback: NameExpr; text: string }
  /** A parameter of the enclosing function: the name comes from each call site (a wrapper). */
  | { kind: 'param'; index: number; text: string }
  /** One of several names (`booked ? Topics.Scheduled : Topics.Failed`): a declaration for each. */
  | { kind: 'choice'; options: NameExpr[]; text: string }
  /** An event identified by a class (NestJS CQRS, Vendure): the class's name. */
  | { kind: 'class'; ref: SymRef; text: string }
  | { kind: 'dynamic'; text: string };

/** A statically known value of a module-level binding: strings and objects of strings. */
export type ConstValue =
  | { kind: 'string'; value: string }
  | { kind: 'object'; origin: 'object' | 'enum' | 'class'; entries: Record<string, ConstValue> }
  | { kind: 'expr'; expr: NameExpr };

/** The syntactic type of an expression: a type named in the file, or the type of a named value. */
export type TypeRef = { type: SymRef } | { value: SymRef };

export interface ImportBinding {
  local: string;
  /** `default`, `*` for a namespace, or the exported name. */
  imported: string;
  from: string;
}

export interface ExportEntry {
  /** The exported name, or `*` for `export * from`. */
  exported: string;
  /** The local binding it exports (absent for re-exports). */
  local?: string;
  /** For re-exports: the module specifier and the name imported from it (`*` for a namespace). */
  from?: string;
  imported?: string;
}

export interface ClassSummary {
  name: string;
  line: number;
  extends?: SymRef;
  implements: SymRef[];
  /** Field name to syntactic type: constructor parameter properties, annotated or `new`-initialized fields. */
  fields: Record<string, TypeRef>;
  methods: string[];
  /** Instance fields initialized with a static value (`readonly subject = Subjects.OrderCreated`). */
  props: Record<string, ConstValue>;
}

/**
 * What a call (or a handler reference) names: a function of this file, a module binding and
 * property path, a method of a typed receiver, a method of `this` (looked up on the class the
 * method runs for, so a subclass's override wins), a parameter of the enclosing function, or an
 * export of a module named by path (from configuration files such as serverless.yml).
 */
export type CallTarget =
  | { fn: string }
  | { ref: SymRef }
  | { typed: TypeRef; path: string[] }
  | { self: string }
  /** A parameter of the function (or, with `of`, of the enclosing function of that id). */
  | { param: number; of?: string }
  | { module: string; export: string };

/** What a call passes, where it can matter: a name-like expression, or a function. */
export type ArgValue = { name: NameExpr } | { handler: CallTarget };

export interface CallSite {
  target: CallTarget;
  line: number;
  column: number;
  /** Arguments by position; null where nothing static can be said. Absent when none matter. */
  args?: Array<ArgValue | null>;
  /** Inside a handler's branch for some events only (`switch (topic) { case X: … }`). */
  guard?: EventBranch;
}

/** A branch of a handler that runs for one event (`case X:`), or for all but some (`default:`, `else`). */
export type EventBranch = { is: NameExpr } | { not: NameExpr[] };

/** Something a handler does that a redelivered message would do twice. */
export type EffectKind = 'db-write' | 'http' | 'payment' | 'email' | 'sms' | 'queue-job' | 'counter';

/** Evidence that a function protects its effects against redelivery. */
export type GuardKind = 'processed-check' | 'helper';

export interface EffectSite {
  kind: EffectKind;
  line: number;
  column: number;
  text: string;
}

export interface GuardSite {
  kind: GuardKind;
  line: number;
  column: number;
  text: string;
}

export interface FunctionSummary {
  /** Unique within the file: `OrderService.handle`, `start/eachMessage@12`. */
  id: string;
  /** The class it is a method of, when it is one. */
  className?: string;
  line: number;
  column: number;
  calls: CallSite[];
  /** Side effects in the body (writes, outbound calls, counters), when there are any. */
  effects?: EffectSite[];
  /** Idempotency guards in the body (a processed-message check, a known helper). */
  guards?: GuardSite[];
}

/** A handler is named the way a callee is. */
export type HandlerRef = CallTarget;

/**
 * Pattern syntaxes of subscriptions: a regular expression literal (`/^orders\./`), AMQP topic
 * bindings (`*` one word, `#` any words), NATS subjects (`*` one token, `>` the rest), MQTT topics
 * (`+`, `#`), EventEmitter2 wildcards (`*` one segment, `**` any), and Redis glob patterns.
 */
export type MatchKind = 'regex' | 'amqp' | 'nats' | 'mqtt' | 'eventemitter2' | 'glob';

/**
 * Messages published to `from` are delivered to the channel `to`: an AMQP queue bound to an
 * exchange, an SQS queue subscribed to an SNS topic, a Pub/Sub subscription of a topic. A
 * subscription to `to` reacts to everything routed into it.
 */
export interface RouteDraft {
  framework: string;
  transport: string;
  from: NameExpr;
  fromMatch?: MatchKind;
  to: NameExpr;
  line: number;
  column: number;
}

/** A publish or subscribe site as an adapter saw it, before names and handlers are resolved. */
export interface DeclarationDraft {
  kind: 'publish' | 'subscribe';
  framework: string;
  transport: string;
  name: NameExpr;
  /** How a subscription's name matches published names. Absent means exact. */
  match?: MatchKind;
  /** Inside a handler's branch for some events only. */
  guard?: EventBranch;
  line: number;
  column: number;
  /** The function whose body holds the site (absent at module level). */
  function?: string;
  /** For a subscribe: the function that runs for each message. */
  handler?: HandlerRef;
  /** What to call the handler when there is no function (an AsyncAPI operation id). */
  handlerName?: string;
  /** The service a non-code document declares itself to be (an AsyncAPI `info.title`). */
  service?: string;
  /**
   * Keep the declaration only if the receiver's type is, or extends, one of these exports
   * (module and export name), as link finds by following imports and `extends` clauses.
   */
  requires?: { receiver: TypeRef; oneOf: Array<{ module: string; name: string }> };
}

export interface SummaryDiagnostic {
  /** parse-error, read-error, extract-error, or an adapter's own (asyncapi-invalid, …). */
  code: string;
  /** Another file than the one extracted, where the problem is (a `$ref`'d document). */
  file?: string;
  message: string;
  line: number;
  column: number;
}

/** A `// choreolint-disable-next-line rule-a, rule-b -- reason` comment. */
export interface SuppressionComment {
  /** Line and column of the comment; it applies to the next line. */
  line: number;
  column: number;
  /** Empty means every rule. */
  rules: string[];
  reason?: string;
}

export interface FileSummary {
  imports: ImportBinding[];
  exports: ExportEntry[];
  constants: Record<string, ConstValue>;
  /** Module-level variables whose type can be read from the syntax (`const bus = new Bus()`). */
  values: Record<string, TypeRef>;
  classes: Record<string, ClassSummary>;
  /** Module-level (and nested named) functions by local name to function id. */
  functionNames: Record<string, string>;
  functions: FunctionSummary[];
  declarations: DeclarationDraft[];
  routes: RouteDraft[];
  suppressions: SuppressionComment[];
  diagnostics: SummaryDiagnostic[];
}

/** The id of the pseudo-function that holds a module's top-level code. */
export const MODULE_FUNCTION = '<module>';

/** Where link gets summaries from. A file is extracted the first time it is asked for. */
export interface SummarySource {
  /** Files whose text passed the prefilter: every declaration lives in one of them. */
  seeds(): readonly string[];
  get(file: string): FileSummary | undefined;
  /**
   * A file's summary if `get` would return it without loading anything (the file is loaded, or
   * not one of the listed files); undefined when asking would load it.
   */
  peek(file: string): { summary: FileSummary | undefined } | undefined;
  /** Extracts the files not extracted yet whose text holds one of the tokens (callers of a wrapper). */
  scan(tokens: readonly string[]): void;
  /** Every file extracted so far, in the order they were. */
  loaded(): readonly string[];
}
