import type { Ajv, ValidateFunction } from 'ajv';
import { ajvModule } from '../util/lazy.js';
import type { RuleSetting } from '../config/types.js';
import { suggestClosest } from '../config/suggest.js';
import { RULES } from './registry.js';
import type { AnyRule, ConfiguredRule } from './types.js';

export interface RuleConfigProblem {
  /** Path of the offending value in the config document. */
  path: Array<string | number>;
  /** Whether the key itself (an unknown rule id) is what is wrong, rather than its value. */
  at: 'key' | 'value';
  message: string;
}

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/** Each rule's severity and options (defaults merged, validated against the rule's schema). */
export function configureRules(settings: Readonly<Record<string, RuleSetting>>): { rules: ConfiguredRule[]; problems: RuleConfigProblem[] } {
  const problems: RuleConfigProblem[] = [];
  for (const id of Object.keys(settings)) {
    if (RULES.some((rule) => rule.meta.id === id)) continue;
    const suggestion = suggestClosest(id, RULES.map((rule) => rule.meta.id));
    problems.push({ path: ['rules', id], at: 'key', message: `rules: unknown rule "${id}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}` });
  }
  const rules: ConfiguredRule[] = [];
  for (const rule of RULES) {
    const setting = settings[rule.meta.id];
    const [severity, options] = Array.isArray(setting) ? setting : [setting ?? rule.meta.defaultSeverity, undefined];
    if (severity === 'off') continue;
    const merged = { ...rule.meta.defaultOptions, ...(options ?? {}) } as Record<string, unknown>;
    const problem = options === undefined ? undefined : validateOptions(rule, merged);
    if (problem) {
      problems.push({ path: ['rules', rule.meta.id, 1, ...problem.path], at: problem.at, message: `rules.${rule.meta.id}: ${problem.message}` });
      continue;
    }
    rules.push({ rule, severity, options: merged });
  }
  return { rules, problems };
}

function validateOptions(rule: AnyRule, options: Record<string, unknown>): RuleConfigProblem | undefined {
  let validate = validators.get(rule.meta.id);
  if (!validate) {
    ajv ??= new (ajvModule().Ajv)({ allErrors: false, strict: false, useDefaults: false }).addFormat('regex', isRegExp);
    validate = ajv.compile(rule.meta.schema);
    validators.set(rule.meta.id, validate);
  }
  if (validate(options)) return undefined;
  const error = validate.errors?.[0];
  const path = (error?.instancePath ?? '').split('/').slice(1).map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  const key = (error?.params as { additionalProperty?: string } | undefined)?.additionalProperty;
  const where = path.length > 0 ? `option ${path.join('.')} ` : 'options ';
  if (error?.keyword === 'format' && (error.params as { format?: string }).format === 'regex') return { path, at: 'value', message: `${where}is not a valid regular expression` };
  if (key === undefined) return { path, at: 'value', message: `${where}${error?.message ?? 'are invalid'}` };
  const suggestion = suggestClosest(key, Object.keys(schemaAt(rule.meta.schema, path)?.properties ?? {}));
  return { path: [...path, key], at: 'key', message: `unknown option "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}` };
}

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** The part of an options schema that describes the value at `path` (for "did you mean"). */
function schemaAt(schema: unknown, path: ReadonlyArray<string | number>): SchemaNode | undefined {
  let node = schema as SchemaNode | undefined;
  for (const segment of path) node = typeof segment === 'number' ? node?.items : node?.properties?.[segment];
  return node;
}

function isRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}
