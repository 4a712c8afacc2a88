import type { Topology } from '../graph/topology.js';
import type { Location, RelatedLocation, Severity } from '../model/result.js';

export type JsonSchema = Record<string, unknown>;

export interface RuleMeta<Options> {
  id: string;
  /** One sentence; the rule's doc page states the same sentence under its title. */
  description: string;
  defaultSeverity: Severity | 'off';
  /** docs/rules/<id>.md, relative to the repository root. */
  docs: string;
  /** JSON Schema of the options object. */
  schema: JsonSchema;
  defaultOptions: Options;
}

export interface FindingReport {
  message: string;
  location: Location;
  related?: RelatedLocation[];
  /**
   * What makes this finding the same finding after unrelated edits and line shifts
   * (a cycle's member set, an event's name): hashed into the fingerprint.
   */
  identity: string[];
  data?: Record<string, unknown>;
}

/** Settings every rule can read, from the config's top level. */
export interface RuleSettings {
  /** True for events produced or consumed outside the analyzed repositories (config `external`). */
  isExternal(eventName: string): boolean;
}

export interface RuleContext<Options> {
  readonly topology: Topology;
  readonly options: Options;
  readonly settings: RuleSettings;
  report(finding: FindingReport): void;
}

/** Hooks a rule asks for; the runner calls them in one pass over the topology. */
export interface RuleListener {
  topology?(topology: Topology): void;
}

/** A checker, shaped like an ESLint rule. */
export interface Rule<Options = Record<string, unknown>> {
  meta: RuleMeta<Options>;
  create(context: RuleContext<Options>): RuleListener;
}

/** A rule of any options type, as the registry holds them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = Rule<any>;

export interface ConfiguredRule {
  rule: AnyRule;
  severity: Severity;
  options: Record<string, unknown>;
}
