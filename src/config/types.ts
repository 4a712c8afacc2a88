export type RuleLevel = 'off' | 'warn' | 'error';
export type RuleSetting = RuleLevel | [RuleLevel] | [RuleLevel, Record<string, unknown>];

/** One entry of the config's `declare`: a call or a decorator that counts as a publish or a subscribe. */
export interface DeclaredConvention {
  /** A method or function name whose calls publish (`publish`) or subscribe (`subscribe`). */
  publish?: string;
  subscribe?: string;
  /** A decorator whose decorated method subscribes (the method is the handler). */
  decorator?: string;
  /** For calls: the receiver's class, `Name` (any class so named) or `module:Export`. */
  receiver?: string;
  /** The argument that holds the event's name (default 0). */
  event?: number;
  /** For subscribe calls: the argument that holds the handler (default: the first function). */
  handler?: number;
  transport?: string;
}

export interface ServiceConfig {
  name: string;
  paths: string[];
}

export interface Config {
  include: string[];
  exclude: string[];
  excludeDefaults: boolean;
  services: ServiceConfig[];
  rules: Record<string, RuleSetting>;
  adapters: Record<string, boolean>;
  asyncapi?: {
    /** Globs of AsyncAPI documents (default: every YAML or JSON file with a top-level `asyncapi` key). */
    documents?: string[];
    /** Document path → service name, where the document's title does not name the service. */
    services?: Record<string, string>;
  };
  /** The team's own calls and decorators that publish or subscribe (see docs/adapters/declared.md). */
  declare: DeclaredConvention[];
  /** Events produced or consumed outside the analyzed repositories (`*` wildcards). */
  external: string[];
  maxCallDepth: number;
  /** Absolute path of the config file, when one was read. */
  file?: string;
  /** Absolute directory that the config's globs are relative to. */
  dir: string;
}

/** Position of a config value, for diagnostics that name the line. */
export type ConfigLocator = (path: ReadonlyArray<string | number>, at?: 'key' | 'value') => { line: number; column: number } | undefined;

/** A broken config: the run stops with exit code 2 and this one-line message. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'ConfigError';
  }

  /** `choreolint.yaml:4:3: rules.event-cycle: …` */
  format(relativeFile?: string): string {
    const where = relativeFile ?? this.file;
    if (!where) return this.message;
    const position = this.line ? `:${this.line}${this.column ? `:${this.column}` : ''}` : '';
    return `${where}${position}: ${this.message}`;
  }
}
