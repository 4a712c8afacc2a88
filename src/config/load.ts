import type { ErrorObject, ValidateFunction } from 'ajv';
import { ajvModule, yamlModule } from '../util/lazy.js';
import { createYamlLocator } from '../util/yaml-locator.js';
import configSchema from '../schema/config.schema.json' with { type: 'json' };
import { defaultConfig } from './defaults.js';
import { suggestClosest } from './suggest.js';
import { ConfigError, type Config, type ConfigLocator } from './types.js';

let compiledShape: ValidateFunction | undefined;
const validateShape = (data: unknown) => (compiledShape ??= new (ajvModule().Ajv)({ allErrors: true, strict: false }).compile(configSchema))(data);
const TOP_LEVEL_KEYS = Object.keys(configSchema.properties);

export interface ParsedConfig {
  config: Config;
  locate: ConfigLocator;
}

/**
 * Parses and validates a config file's text (YAML, or JSON, which YAML reads too). Every problem
 * is a ConfigError naming the file, line and column; the caller stops the run with exit code 2.
 */
export function parseConfigText(text: string, file: string, dir: string): ParsedConfig {
  const { LineCounter, parseDocument } = yamlModule();
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const firstError = document.errors[0];
  if (firstError) {
    const position = lineCounter.linePos(firstError.pos[0]);
    throw new ConfigError(`invalid YAML: ${firstLine(firstError.message)}`, file, position.line, position.col);
  }
  const locate: ConfigLocator = createYamlLocator(document, lineCounter);
  const data: unknown = document.toJS() ?? {};
  if (!validateShape(data)) {
    const error = pickError(compiledShape?.errors ?? []);
    const path = pathOf(error);
    const where = error.keyword === 'additionalProperties' ? locate([...path, additionalKey(error)], 'key') : locate(path);
    throw new ConfigError(describe(error, path), file, where?.line, where?.column);
  }
  return { config: { ...defaultConfig(dir), ...(data as Partial<Config>), file, dir }, locate };
}

/** The most useful error first: unknown keys, then wrong types, then the rest. */
function pickError(errors: ErrorObject[]): ErrorObject {
  const ranked = [...errors].sort((a, b) => rank(a) - rank(b) || b.instancePath.length - a.instancePath.length);
  const first = ranked[0];
  if (!first) throw new Error('config validation failed without an error');
  return first;
}

function rank(error: ErrorObject): number {
  if (error.keyword === 'additionalProperties') return 0;
  if (error.keyword === 'oneOf') return 3;
  if (error.keyword === 'type' || error.keyword === 'enum') return 1;
  return 2;
}

function pathOf(error: ErrorObject): Array<string | number> {
  return error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function additionalKey(error: ErrorObject): string {
  return String((error.params as { additionalProperty?: string }).additionalProperty ?? '');
}

function describe(error: ErrorObject, path: Array<string | number>): string {
  const at = path.length > 0 ? `${path.join('.')}: ` : '';
  if (error.keyword === 'additionalProperties') {
    const key = additionalKey(error);
    const suggestion = path.length === 0 ? suggestClosest(key, TOP_LEVEL_KEYS) : undefined;
    return `${at}unknown key "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    return `${at}must be one of ${allowed.map((value) => JSON.stringify(value)).join(', ')}`;
  }
  return `${at}${error.message ?? 'is invalid'}`;
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}
