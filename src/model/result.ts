/**
 * The result document: the one versioned JSON document that everything downstream reads
 * (reporters, baseline, cache, merging the results of several repositories).
 * Its JSON Schema is src/schema/result.schema.json; bump RESULT_VERSION on breaking changes.
 */

export const RESULT_VERSION = 1;

/**
 * Request/reply (NestJS `@MessagePattern`, `ClientProxy.send`, AMQP RPC): drawn as edges, but kept
 * out of the event-flow graph, where cycles and chains of events are judged.
 */
export const RPC_TRANSPORT = 'rpc';

export type Severity = 'error' | 'warn';

export type Resolution =
  | 'literal'
  | 'constant'
  | 'enum'
  | 'static-field'
  | 'imported-constant'
  | 'template'
  | 'env-fallback'
  | 'class'
  | 'dynamic';

export type MatchKind = 'regex' | 'amqp' | 'nats' | 'mqtt' | 'eventemitter2' | 'glob';

export interface Location {
  file: string;
  line: number;
  column: number;
  /** Set when the location is in another repository, merged with `--with`. */
  repository?: string;
}

export interface Declaration extends Location {
  id: string;
  kind: 'publish' | 'subscribe';
  /** The resolved event name; for a dynamic declaration, its best pattern (`*` for unknown parts). */
  event: string;
  service: string;
  framework: string;
  transport: string;
  resolution: Resolution;
  dynamic: boolean;
  /** The source text of the name expression when it was not a plain literal. */
  expression?: string;
  /** How a subscription's pattern matches event names. Absent means exact. */
  match?: MatchKind;
  /** For a publish: the function that holds it. For a subscribe: the handler it runs. */
  function?: string;
  handler?: string;
  /** When the site is a call of an in-repo wrapper: the wrapper's function, where the client call is. */
  wrapper?: string;
}

/** Messages published to `from` (a name, or a pattern) are delivered to the channel `to`. */
export interface Route extends Location {
  id: string;
  from: string;
  match?: MatchKind;
  to: string;
  service: string;
  framework: string;
  transport: string;
  dynamic: boolean;
}

export interface Trigger {
  /** The publish declaration reached from the handler. */
  declaration: string;
  event: string;
  /** The functions called on the way, from the handler to the one holding the publish. */
  via: string[];
  /** Reached only in the handler's branch for this event (`switch (topic) { case … }`). */
  when?: string;
  /** Reached only in a branch for every event but these (`default:`, `else`). */
  unless?: string[];
}

/** An effect a handler reaches (a write, an outbound call, a counter), and the calls that reach it. */
export interface HandlerEffect extends Location {
  kind: 'db-write' | 'http' | 'payment' | 'email' | 'sms' | 'queue-job' | 'counter';
  text: string;
  via: string[];
}

/** Idempotency evidence a handler reaches: a processed-message check, or a known helper. */
export interface HandlerGuard extends Location {
  kind: 'processed-check' | 'helper';
  text: string;
  via: string[];
}

export interface Handler extends Location {
  /** `file#Class.method`, or the subscribe declaration's id for a handler that was not found. */
  id: string;
  name: string;
  service: string;
  subscribes: string[];
  triggers: Trigger[];
  /** True when the handler's body was not found: it can publish nothing we know of. */
  unresolved?: boolean;
  effects?: HandlerEffect[];
  guards?: HandlerGuard[];
}

export interface Service {
  name: string;
  /** Where the service was found: the package or folder path, or the config's globs. */
  path: string;
  source: 'package' | 'folder' | 'config' | 'root' | 'document';
}

export interface TopologyEvent {
  id: string;
  name: string;
  /** For in-process events: the service whose process they live in. */
  scope?: string;
  transports: string[];
  publishers: string[];
  subscribers: string[];
}

export type EdgeKind = 'publish' | 'subscribe' | 'trigger' | 'flow';

export interface TopologyEdge {
  kind: EdgeKind;
  /** Node ids: `service:NAME`, `event:ID`, `handler:ID`. */
  from: string;
  to: string;
  /** The declaration behind the edge (for a flow edge, the publish that continues the flow). */
  declaration: string;
  /** For a flow edge (event → event): the handler that carries it. */
  handler?: string;
}

export interface Topology {
  events: TopologyEvent[];
  edges: TopologyEdge[];
}

export interface RelatedLocation extends Location {
  message: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  location: Location;
  related: RelatedLocation[];
  /** Identity of the finding that survives line shifts (see each rule's doc for what it hashes). */
  fingerprint: string;
  docs: string;
  data?: Record<string, unknown>;
}

export interface Diagnostic {
  severity: Severity;
  code: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
}

export interface Stats {
  files: number;
  filesParsed: number;
  declarations: number;
  events: number;
  handlers: number;
  services: number;
  /** Findings removed by suppression comments. */
  suppressed: number;
}

/** A known finding recorded in a baseline file: matched by rule and fingerprint, never by line. */
export interface BaselineEntry {
  ruleId: string;
  fingerprint: string;
  /** Where it was when recorded, and what it said: for the humans reading the baseline's diff. */
  file: string;
  message: string;
}

/** A rule that ran: what SARIF and other reporters say of a rule beside its findings. */
export interface RuleDescriptor {
  id: string;
  description: string;
  severity: Severity;
  docs: string;
}

export interface Result {
  version: typeof RESULT_VERSION;
  tool: { name: 'choreolint'; version: string };
  /** The analyzed repository: its root package's name, or its directory's. */
  repository: string;
  services: Service[];
  declarations: Declaration[];
  routes: Route[];
  handlers: Handler[];
  topology: Topology;
  findings: Finding[];
  diagnostics: Diagnostic[];
  /** The rules that ran, with their configured severity (absent in documents of earlier versions). */
  rules?: RuleDescriptor[];
  stats: Stats;
  /** Set in changed-files mode: only findings that touch these files are reported. */
  scope?: { files: string[] };
  /** Set when a baseline was applied: how many known findings it hid, and its stale entries. */
  baseline?: { file: string; ignored: number; stale: BaselineEntry[] };
}
