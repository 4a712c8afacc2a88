import { statSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE_NAMES, DEFAULT_EXCLUDE } from '../config/defaults.js';
import type { Config } from '../config/types.js';
import { UsageError } from '../model/errors.js';
import type { ProjectLayout } from '../model/project.js';
import type { Diagnostic } from '../model/result.js';
import { anyGlob } from './globs.js';
import { readPackages, readTsconfigs, type ManifestProblem } from './manifests.js';
import type { DiscoveryInputs } from './inputs.js';
import { forgetRealDirectories } from './read-source.js';
import { assignServices, rootServiceName } from './services.js';
import { walkFiles, type WalkResult } from './walk.js';

export { findConfigFile, readConfigFile } from './config-file.js';
export { DiscoveryInputs, inputsUnchanged, type RecordedInputs } from './inputs.js';
export { forgetRealDirectories, readSourceText, sameStamp, stampSourceFile, type FileStamp, type SourceText } from './read-source.js';

const DATA_FILE = /\.(ya?ml|json)$/;
const MANIFEST = /(^|\/)(package|package-lock|tsconfig[^/]*|jsconfig|composer|\.eslintrc[^/]*)\.json$/;

export interface Discovery {
  layout: ProjectLayout;
  diagnostics: Diagnostic[];
}

/**
 * Files, workspace packages, tsconfig paths and services of the analyzed directory. With `inputs`
 * (made for the same root), records what it listed and read, for a cache to tell later whether
 * it would find the same.
 */
export function discoverProject(rootInput: string, config: Config, inputs?: DiscoveryInputs): Discovery {
  const root = path.resolve(rootInput);
  assertDirectory(root);
  forgetRealDirectories();
  const walk = walkFiles(root, inputs);
  const problems: ManifestProblem[] = [];
  const packages = readPackages(root, walk.files, problems, inputs?.read);
  const tsconfigs = readTsconfigs(root, walk.files, problems, inputs?.read);

  const toConfigPath = configPathMapper(root, config.dir);
  const isIncluded = anyGlob(config.include);
  const isExcluded = anyGlob([...(config.excludeDefaults ? DEFAULT_EXCLUDE : []), ...config.exclude]);
  const isSource = (file: string) => {
    const configPath = toConfigPath(file);
    return isIncluded(configPath) && !isExcluded(configPath);
  };
  // choreolint's own config is read by the config loader, never as a document to analyze.
  const isData = (file: string) => DATA_FILE.test(file) && !MANIFEST.test(file) && !CONFIG_FILE_NAMES.includes(path.posix.basename(file)) && !isExcluded(toConfigPath(file));
  const files = withoutDuplicateLinks(walk.files.filter(isSource), walk.links);
  const dataFiles = withoutDuplicateLinks(walk.files.filter(isData), walk.links);
  const skipped: Diagnostic[] = walk.skipped
    .filter(({ file }) => isSource(file) || isData(file))
    .map(({ file, reason }) => ({ severity: 'warn', code: 'read-error', message: reason, file }));

  const rootName = rootServiceName(root);
  const { services, fileServices } = assignServices(rootName, [...files, ...dataFiles], packages, config.services, toConfigPath);
  const dependencies = new Set(packages.flatMap((pkg) => pkg.dependencies));

  return {
    layout: { root, files, dataFiles, packages: packages.filter((pkg) => pkg.name), tsconfigs, services, fileServices, dependencies },
    diagnostics: [
      ...skipped,
      ...walk.problems.map(({ file, message }): Diagnostic => ({ severity: 'warn', code: 'read-error', message, file })),
      ...problems.map((problem): Diagnostic => ({
        severity: 'warn',
        code: 'manifest-error',
        message: problem.message,
        file: problem.file,
        ...(problem.line ? { line: problem.line } : {}),
      })),
    ],
  };
}

/** A file reached through a symbolic link as well as by its own path is analyzed once, by its own. */
function withoutDuplicateLinks(files: string[], links: WalkResult['links']): string[] {
  const listed = new Set(files);
  const linked = new Set<string>();
  return files.filter((file) => {
    const target = links.get(file);
    if (target === undefined) return true;
    if (listed.has(target) || linked.has(target)) return false;
    linked.add(target);
    return true;
  });
}

function assertDirectory(root: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(root).isDirectory();
  } catch {
    throw new UsageError(`no such directory: ${root}`);
  }
  if (!isDirectory) throw new UsageError(`not a directory: ${root}`);
}

/** Config globs are relative to the config file's directory; files are relative to the root. */
function configPathMapper(root: string, configDir: string): (file: string) => string {
  const prefix = path.relative(configDir, root).split(path.sep).join('/');
  if (!prefix || prefix.startsWith('..')) return (file) => file;
  return (file) => `${prefix}/${file}`;
}
