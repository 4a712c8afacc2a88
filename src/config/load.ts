import type { ErrorObject, ValidateFunction } from 'ajv';
import { ajvModule, yamlModule } from '../util/lazy.js';
import { createYamlLocator } from '../util/yaml-locator.js';
import configSchema from '../schema/config.schema.json' with { type: 'json' };
import { defaultConfig } from './defaults.js';
import { suggestClosest } from './suggest.js';
import { ConfigError, type Config, type ConfigLocator } from './types.js';

let compiledShape: ValidateFunction | undefined;
const validateShape = (data: unknown) => (compiledShape ??= new (ajvModule().Ajv)({ allErrors: true, strict: false }).compile(configSchema))(data);

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
  const collectionKey = firstCollectionKeyOffset(document);
  if (collectionKey !== undefined) {
    const position = lineCounter.linePos(collectionKey);
    throw new ConfigError('invalid config: a key must be a plain name, not a list or a mapping', file, position.line, position.col);
  }
  const locate: ConfigLocator = createYamlLocator(document, lineCounter);
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (error) {
    // The yaml library refuses aliases that expand exponentially ("billion laughs"), without a position.
    const alias = firstAliasOffset(document);
    const position = alias === undefined ? undefined : lineCounter.linePos(alias);
    throw new ConfigError(`invalid YAML: ${firstLine((error as Error).message)}`, file, position?.line, position?.col);
  }
  if (!validateShape(data)) {
    const error = pickError(compiledShape?.errors ?? []);
    const path = pathOf(error);
    const where = error.keyword === 'additionalProperties' ? locate([...path, additionalKey(error)], 'key') : locate(path);
    throw new ConfigError(describe(error, path), file, where?.line, where?.column);
  }
  const config: Config = { ...defaultConfig(dir), ...(data as Partial<Config>), file, dir };
  const outward = outwardGlob(config);
  if (outward) {
    const where = locate(outward.path);
    throw new ConfigError(
      `${outward.path.join('.')}: "${outward.glob}" reaches outside the directory of the config file; globs are relative to it and stay inside it`,
      file,
      where?.line,
      where?.column,
    );
  }
  return { config, locate };
}

/** The yaml library's default: enough for any real config, far too few for an alias bomb. */
const MAX_ALIAS_COUNT = 100;

function firstAliasOffset(document: ReturnType<ReturnType<typeof yamlModule>['parseDocument']>): number | undefined {
  const { isAlias, visit } = yamlModule();
  let offset: number | undefined;
  visit(document, {
    Alias(_, node) {
      if (isAlias(node) && node.range) offset = node.range[0];
      return visit.BREAK;
    },
  });
  return offset;
}

/** YAML lets a key be a list or a mapping (`? - a`); no config key is one. */
function firstCollectionKeyOffset(document: ReturnType<ReturnType<typeof yamlModule>['parseDocument']>): number | undefined {
  const { isCollection, visit } = yamlModule();
  let offset: number | undefined;
  visit(document, {
    Pair(_, pair) {
      if (!isCollection(pair.key)) return undefined;
      offset = pair.key.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return offset;
}

/**
 * The first glob that could match only outside the config file's directory (absolute, or with a
 * `..` segment): choreolint never reads a file outside the analyzed directory, so such a glob
 * would silently match nothing.
 */
function outwardGlob(config: Config): { path: Array<string | number>; glob: string } | undefined {
  const lists: Array<[Array<string | number>, readonly string[]]> = [
    [['include'], config.include],
    [['exclude'], config.exclude],
    ...config.services.map((service, index): [Array<string | number>, readonly string[]] => [['services', index, 'paths'], service.paths]),
    [['asyncapi', 'documents'], config.asyncapi?.documents ?? []],
  ];
  for (const [path, globs] of lists) {
    const index = globs.findIndex(leavesDirectory);
    if (index !== -1) return { path: [...path, index], glob: globs[index]! };
  }
  return undefined;
}

function leavesDirectory(glob: string): boolean {
  const pattern = glob.startsWith('!') ? glob.slice(1) : glob;
  return /^([a-zA-Z]:)?[\\/]/.test(pattern) || pattern.split(/[\\/]/).includes('..');
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
    const suggestion = suggestClosest(key, keysAt(path));
    return `${at}unknown key "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
  }
  if (path.length === 0 && error.keyword === 'type') return `the config must be a mapping of settings (${keysAt([]).filter((key) => key !== '$schema').join(', ')})`;
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues ?? [];
    return `${at}must be one of ${allowed.map((value) => JSON.stringify(value)).join(', ')}`;
  }
  return `${at}${error.message ?? 'is invalid'}`;
}

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode | SchemaNode[];
}

/** The keys the config schema allows at a path (for "did you mean"). */
function keysAt(path: ReadonlyArray<string | number>): string[] {
  let node: SchemaNode | undefined = configSchema as SchemaNode;
  for (const segment of path) {
    if (!node) return [];
    if (typeof segment === 'number') node = Array.isArray(node.items) ? node.items[segment] : node.items;
    else node = node.properties?.[segment];
  }
  return Object.keys(node?.properties ?? {});
}

function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message;
}
