import path from 'node:path';
import type { ProjectLayout, TsconfigPaths, WorkspacePackage } from '../model/project.js';

export type ModuleTarget = { file: string } | { external: string };

export interface ModuleResolver {
  /** The analyzed file an import specifier reaches, or the external module it names; undefined if neither. */
  resolve(fromFile: string, specifier: string): ModuleTarget | undefined;
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const JS_TO_TS: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
const BUILD_DIRS = /^(dist|lib|build|out|esm|cjs)\//;

/**
 * Resolves imports the way the TypeScript project would, from the layout alone: relative paths
 * (with TypeScript's `.js` → `.ts` mapping and index files), tsconfig `paths` and `baseUrl`, and
 * the names of workspace packages (their entry points mapped back from build output to source).
 */
export function createModuleResolver(layout: Pick<ProjectLayout, 'files' | 'packages' | 'tsconfigs'>): ModuleResolver {
  const files = new Set(layout.files);
  const packagesByName = new Map(layout.packages.map((pkg) => [pkg.name, pkg]));
  const tsconfigsByDir = new Map(layout.tsconfigs.map((config) => [config.dir, config]));
  const cache = new Map<string, ModuleTarget | undefined>();

  return {
    resolve(fromFile, specifier) {
      const fromDir = dirOf(fromFile);
      const key = `${fromDir}\0${specifier}`;
      if (!cache.has(key)) cache.set(key, resolveUncached(fromDir, specifier));
      return cache.get(key);
    },
  };

  function resolveUncached(fromDir: string, specifier: string): ModuleTarget | undefined {
    if (specifier.startsWith('.') || specifier.startsWith('/')) {
      if (specifier.startsWith('/')) return undefined;
      const file = probe(join(fromDir, specifier));
      return file ? { file } : undefined;
    }
    const tsconfig = nearestTsconfig(fromDir);
    if (tsconfig) {
      const file = viaPaths(tsconfig, specifier);
      if (file) return { file };
    }
    const workspace = viaWorkspacePackage(specifier);
    if (workspace) return { file: workspace };
    if (tsconfig?.hasBaseUrl) {
      const file = probe(join(tsconfig.base, specifier));
      if (file) return { file };
    }
    return { external: specifier };
  }

  function nearestTsconfig(dir: string): TsconfigPaths | undefined {
    for (let current = dir; ; current = dirOf(current)) {
      const config = tsconfigsByDir.get(current);
      if (config) return config;
      if (current === '') return undefined;
    }
  }

  function viaPaths(tsconfig: TsconfigPaths, specifier: string): string | undefined {
    let best: { prefixLength: number; targets: string[]; star: string } | undefined;
    for (const [pattern, targets] of Object.entries(tsconfig.paths)) {
      const star = pattern.indexOf('*');
      if (star === -1) {
        if (pattern === specifier) return firstProbe(tsconfig.base, targets, '');
        continue;
      }
      const prefix = pattern.slice(0, star);
      const suffix = pattern.slice(star + 1);
      if (specifier.length < prefix.length + suffix.length || !specifier.startsWith(prefix) || !specifier.endsWith(suffix)) continue;
      if (!best || prefix.length > best.prefixLength) {
        best = { prefixLength: prefix.length, targets, star: specifier.slice(prefix.length, specifier.length - suffix.length) };
      }
    }
    return best && firstProbe(tsconfig.base, best.targets, best.star);
  }

  function firstProbe(base: string, targets: string[], star: string): string | undefined {
    for (const target of targets) {
      const file = probe(join(base, target.replace('*', star)));
      if (file) return file;
    }
    return undefined;
  }

  function viaWorkspacePackage(specifier: string): string | undefined {
    const parts = specifier.split('/');
    const nameLength = specifier.startsWith('@') ? 2 : 1;
    const pkg = packagesByName.get(parts.slice(0, nameLength).join('/'));
    if (!pkg) return undefined;
    const subpath = parts.slice(nameLength).join('/');
    return subpath ? subpathOf(pkg, subpath) : entryOf(pkg);
  }

  function entryOf(pkg: WorkspacePackage): string | undefined {
    for (const entry of [...pkg.entries, 'src/index', 'index']) {
      const file = probeEntry(pkg.dir, entry);
      if (file) return file;
    }
    return undefined;
  }

  function subpathOf(pkg: WorkspacePackage, subpath: string): string | undefined {
    const exported = pkg.subpaths[`./${subpath}`];
    if (exported) {
      const file = probeEntry(pkg.dir, exported.replace(/^\.\//, ''));
      if (file) return file;
    }
    return probe(join(pkg.dir, subpath)) ?? probe(join(pkg.dir, `src/${subpath}`));
  }

  /** An entry point as written, or the source file that the build turns into it. */
  function probeEntry(dir: string, entry: string): string | undefined {
    const direct = probe(join(dir, entry));
    if (direct) return direct;
    const source = entry.replace(/\.d\.[mc]?ts$/, '').replace(BUILD_DIRS, 'src/');
    return source !== entry ? probe(join(dir, source)) : undefined;
  }

  function probe(candidate: string): string | undefined {
    if (!candidate || candidate.startsWith('..')) return undefined;
    const extension = path.posix.extname(candidate);
    if (EXTENSIONS.includes(extension)) {
      for (const replacement of JS_TO_TS[extension] ?? []) {
        const mapped = candidate.slice(0, -extension.length) + replacement;
        if (files.has(mapped)) return mapped;
      }
      if (files.has(candidate)) return candidate;
    }
    for (const suffix of EXTENSIONS) if (files.has(candidate + suffix)) return candidate + suffix;
    for (const suffix of EXTENSIONS) if (files.has(`${candidate}/index${suffix}`)) return `${candidate}/index${suffix}`;
    return undefined;
  }
}

function dirOf(file: string): string {
  const dir = path.posix.dirname(file);
  return dir === '.' ? '' : dir;
}

function join(dir: string, relative: string): string {
  const joined = path.posix.normalize(path.posix.join(dir, relative));
  return joined === '.' ? '' : joined.replace(/\/$/, '');
}
