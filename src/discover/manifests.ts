import path from 'node:path';
import { findNodeAtLocation, parse as parseJsonc, parseTree, type ParseError } from 'jsonc-parser';
import type { TsconfigPaths, WorkspacePackage } from '../model/project.js';
import { compareStrings } from '../util/compare.js';
import type { ReadText } from './inputs.js';
import { readSourceText, type SourceText } from './read-source.js';

export interface ManifestProblem {
  file: string;
  message: string;
  line?: number;
}

export function readJsonFile(root: string, file: string, problems: ManifestProblem[], read: ReadText = readSourceText): Record<string, unknown> | undefined {
  return parseJsonFile(file, read(root, file), problems);
}

function parseJsonFile(file: string, source: SourceText, problems: ManifestProblem[]): Record<string, unknown> | undefined {
  if ('error' in source) {
    problems.push({ file, message: source.error });
    return undefined;
  }
  const { text } = source;
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true });
  if (errors.length > 0 || !value || typeof value !== 'object' || Array.isArray(value)) {
    const offset = errors[0]?.offset ?? 0;
    problems.push({ file, message: 'invalid JSON', line: text.slice(0, offset).split('\n').length });
    return undefined;
  }
  return value as Record<string, unknown>;
}

/** Workspace packages: every package.json with a name, with its entry points and dependencies. */
export function readPackages(root: string, files: readonly string[], problems: ManifestProblem[], readText: ReadText = readSourceText): WorkspacePackage[] {
  const packages: WorkspacePackage[] = [];
  for (const file of files) {
    if (file !== 'package.json' && !file.endsWith('/package.json')) continue;
    const manifest = readJsonFile(root, file, problems, readText);
    if (!manifest) continue;
    const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
    const name = typeof manifest.name === 'string' && manifest.name ? manifest.name : undefined;
    const dependencies = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) =>
      isRecord(manifest[field]) ? Object.keys(manifest[field]) : [],
    );
    const { entries, subpaths } = entryPoints(manifest);
    packages.push({ name: name ?? '', dir, entries, subpaths, dependencies: [...new Set(dependencies)].sort(compareStrings) });
  }
  return packages;
}

function entryPoints(manifest: Record<string, unknown>): { entries: string[]; subpaths: Record<string, string> } {
  const entries: string[] = [];
  const subpaths: Record<string, string> = {};
  const exportsField = manifest.exports;
  if (typeof exportsField === 'string') entries.push(exportsField);
  else if (isRecord(exportsField)) {
    const keys = Object.keys(exportsField);
    if (keys.some((key) => key.startsWith('.'))) {
      for (const key of keys) {
        const target = firstTarget(exportsField[key]);
        if (!target) continue;
        if (key === '.') entries.push(target);
        else subpaths[key] = target;
      }
    } else {
      const target = firstTarget(exportsField);
      if (target) entries.push(target);
    }
  }
  for (const field of ['source', 'types', 'typings', 'module', 'main']) {
    const value = manifest[field];
    if (typeof value === 'string') entries.push(value);
  }
  return { entries: [...new Set(entries.map(normalizeEntry))], subpaths };
}

/** The first file an export condition object points at, preferring source-like conditions. */
function firstTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(firstTarget).find(Boolean);
  if (!isRecord(value)) return undefined;
  for (const condition of ['source', 'types', 'import', 'node', 'require', 'default']) {
    const target = firstTarget(value[condition]);
    if (target) return target;
  }
  return undefined;
}

function normalizeEntry(entry: string): string {
  return entry.replace(/^\.\//, '');
}

/** Effective `paths` of every tsconfig.json in the repository, following relative `extends`. */
export function readTsconfigs(root: string, files: readonly string[], problems: ManifestProblem[], readText: ReadText = readSourceText): TsconfigPaths[] {
  const result: TsconfigPaths[] = [];
  // Each tsconfig is read and parsed once, however many extend it: one broken file, one diagnostic.
  const parsed = new Map<string, ParsedTsconfig>();
  const read: ReadTsconfig = (file) => {
    let entry = parsed.get(file);
    if (!entry) {
      const source = readText(root, file);
      entry = 'missing' in source ? { missing: true, source } : { json: parseJsonFile(file, source, problems) };
      parsed.set(file, entry);
    }
    return entry;
  };
  for (const file of files) {
    if (!/(^|\/)tsconfig\.json$/.test(file)) continue;
    const effective = effectivePaths(root, file, read, problems, new Set());
    if (!effective) continue;
    const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
    result.push({ dir, ...effective });
  }
  return result;
}

type ParsedTsconfig = { missing: true; source: SourceText } | { json: Record<string, unknown> | undefined };
type ReadTsconfig = (file: string) => ParsedTsconfig;

function effectivePaths(
  root: string,
  file: string,
  read: ReadTsconfig,
  problems: ManifestProblem[],
  seen: Set<string>,
  extendedBy?: { file: string; extends: string },
): Omit<TsconfigPaths, 'dir'> | undefined {
  if (seen.has(file) || seen.size > 16) return undefined;
  seen.add(file);
  const tsconfig = read(file);
  if ('missing' in tsconfig) {
    if (extendedBy) problems.push({ file: extendedBy.file, message: `extends "${extendedBy.extends}", which does not exist`, line: lineOfExtends(root, extendedBy.file) });
    else parseJsonFile(file, tsconfig.source, problems);
    return undefined;
  }
  const { json } = tsconfig;
  if (!json) return undefined;
  const dir = path.posix.dirname(file) === '.' ? '' : path.posix.dirname(file);
  let inherited: Omit<TsconfigPaths, 'dir'> | undefined;
  const extendsField = json.extends;
  for (const parent of typeof extendsField === 'string' ? [extendsField] : Array.isArray(extendsField) ? extendsField : []) {
    if (typeof parent !== 'string' || !parent.startsWith('.')) continue;
    let parentFile = path.posix.normalize(path.posix.join(dir, parent));
    if (!parentFile.endsWith('.json')) parentFile += '.json';
    if (parentFile.startsWith('..')) continue;
    inherited = effectivePaths(root, parentFile, read, problems, seen, { file, extends: parent }) ?? inherited;
  }
  const options = isRecord(json.compilerOptions) ? json.compilerOptions : {};
  const baseUrl = typeof options.baseUrl === 'string' ? joinDir(dir, options.baseUrl) : undefined;
  const paths = isRecord(options.paths) ? stringArrays(options.paths) : undefined;
  return {
    base: baseUrl ?? (inherited?.hasBaseUrl ? inherited.base : paths ? dir : inherited?.base ?? dir),
    paths: paths ?? inherited?.paths ?? {},
    hasBaseUrl: baseUrl !== undefined || (inherited?.hasBaseUrl ?? false),
  };
}

/** The line of a tsconfig's `extends` (read again: this is the rare path of a broken config). */
function lineOfExtends(root: string, file: string): number | undefined {
  const source = readSourceText(root, file);
  if (!('text' in source)) return undefined;
  const property = findNodeAtLocation(parseTree(source.text) ?? { type: 'null', offset: 0, length: 0 }, ['extends'])?.parent;
  return property ? source.text.slice(0, property.offset).split('\n').length : undefined;
}

function joinDir(dir: string, relative: string): string {
  const joined = path.posix.normalize(path.posix.join(dir, relative));
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}

function stringArrays(value: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, targets] of Object.entries(value)) {
    if (Array.isArray(targets)) out[key] = targets.filter((target): target is string => typeof target === 'string');
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
