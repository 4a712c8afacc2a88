/**
 * What the fuzzer generates: a plan of a small repository, plain data that fast-check can shrink.
 * Rendering a plan (render-repo.ts) is deterministic and yields the files and the model of every
 * publish and subscribe site written.
 */

export const LIBRARIES = ['kafkajs', 'eventemitter', 'nestjs-event-emitter', 'nestjs-microservices', 'declared'] as const;
export type Library = (typeof LIBRARIES)[number];

/** How a site spells a known event's name. Spellings that fit one library only fall back to a literal elsewhere. */
export const VIAS = [
  'literal',
  'object',
  'element-access',
  'enum',
  'plain',
  'template-const',
  'template-site',
  'concat-site',
  'local',
  'module-local',
  'static',
  'env',
  'parenthesized',
  'namespace-array',
  'object-pattern',
  'renamed-reexport',
  'namespace-reexport',
  'default-object',
  'commonjs',
  'enum-alias',
  'destructured',
] as const;
export type Via = (typeof VIAS)[number];

export type NameRef =
  | { kind: 'event'; event: number; via: Via }
  /** `resolveTopic()` (nothing known) or `` `order.${resolveSuffix()}` `` (a known prefix). */
  | { kind: 'dynamic'; style: 'call' | 'template' }
  /** `flag ? A : B`: a declaration for each. */
  | { kind: 'choice'; options: [NameRef, NameRef] };

export interface SitePlan {
  kind: 'publish' | 'subscribe';
  /** Through the service's wrapper function or class, whose event-name parameter the call site fills. */
  viaWrapper: boolean;
  /** Through a local function that passes its own parameter on to the wrapper (a wrapper of the wrapper). */
  relay?: boolean;
  /** Picks among the library's forms (send or sendBatch, emit or emitAsync, a decorator or a listener…). */
  variant: number;
  /** One name, or two where the form takes a list (kafkajs `topics`, `sendBatch`, `@EventPattern([…])`). */
  names: NameRef[];
  /** For a subscribe: a publish inside its handler. */
  reaction?: NameRef;
}

export interface ModulePlan {
  library: Library;
  /** Top-level functions, or methods of a class (NestJS libraries are always classes). */
  container: 'functions' | 'class';
  sites: SitePlan[];
  /** How many unrelated statements and declarations to scatter around the sites. */
  unrelated: number;
}

export type WrapperStyle = 'function' | 'arrow' | 'object' | 'class';

export interface ServicePlan {
  modules: ModulePlan[];
  /** How kafkajs and EventEmitter wrappers are written (NestJS wrappers are always injectable classes). */
  wrapperStyle: WrapperStyle;
  /** Write the wrapper modules even when no site calls them (their client calls are then dynamic). */
  uncalledWrappers: boolean;
  /** Import wrappers under another local name (`import { publishEvent as publish }`). */
  aliasWrapperImports: boolean;
  /** Import wrappers through `messaging/index.ts`, which re-exports every wrapper module. */
  wrapperIndex: boolean;
}

export interface ContractsPlan {
  /** How services import the constants: the workspace package's name, tsconfig `paths`, or a relative path. */
  importStyle: 'package' | 'paths' | 'relative';
  /** How the package names its entry point. */
  entry: 'main-dist' | 'exports' | 'none';
  /** Constants spread over modules re-exported by index.ts, or all in index.ts. */
  split: boolean;
  /** `import * as contracts from …` rather than named imports. */
  namespaceImport: boolean;
  /** `export const Topics = {…} as const` or without `as const`. */
  asConst: boolean;
}

export type ConfigPlan =
  | { kind: 'none' }
  | {
      kind: 'valid';
      format: 'yaml-block' | 'yaml-flow' | 'json';
      /** Services (by index) given a configured name through `services` globs. */
      renamedServices: number[];
      /** Libraries whose adapter the config switches off. */
      adaptersOff: Library[];
      /** Declare `emitDomainEvent` / `onDomainEvent` as the team's own publish and subscribe calls. */
      declare: boolean;
      rules: number[];
      external: string[];
      maxCallDepth?: number;
    }
  /** A config that must be rejected with a ConfigError. */
  | { kind: 'invalid'; variant: number; file: 'choreolint.yaml' | 'choreolint.json' }
  /** A valid config with random characters changed: either a result or a ConfigError, nothing else. */
  | { kind: 'mutated'; edits: Array<{ at: number; remove: number; insert: string }> };

export interface BreakagePlan {
  /** Which written file to break (modulo the number of candidates). */
  file: number;
  kind: 'truncate' | 'garbage' | 'unclosed' | 'nul';
  /** Where, in thousandths of the file's length. */
  at: number;
  junk: string;
}

export interface StylePlan {
  indent: '  ' | '    ' | '\t';
  semicolons: boolean;
  crlf: boolean;
  bom: boolean;
}

export interface RepoPlan {
  /** Distinct event names, `domain.action`. */
  events: string[];
  contracts: ContractsPlan;
  services: ServicePlan[];
  config: ConfigPlan;
  breakage?: BreakagePlan;
  style: StylePlan;
  /** Random numbers that formatting choices are drawn from (all zeros: plain, prettier-like code). */
  noise: number[];
}
