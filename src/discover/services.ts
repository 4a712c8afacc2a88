import path from 'node:path';
import picomatch from 'picomatch';
import type { ServiceConfig } from '../config/types.js';
import type { ServiceAssignment, WorkspacePackage } from '../model/project.js';
import { compareStrings } from '../util/compare.js';

export interface ServiceMap {
  services: ServiceAssignment[];
  fileServices: Map<string, string>;
}

const SERVICE_FOLDER_PARENTS = ['services', 'apps'];

/**
 * Assigns every file to a service: the config's `services` (first match wins), else the nearest
 * workspace package with a name, else the folder under services/ or apps/ when the repository
 * has no packages, else the root.
 */
export function assignServices(
  rootName: string,
  files: readonly string[],
  packages: readonly WorkspacePackage[],
  configured: readonly ServiceConfig[],
  toConfigPath: (file: string) => string,
): ServiceMap {
  const named = packages.filter((pkg) => pkg.name).sort((a, b) => b.dir.length - a.dir.length || compareStrings(a.dir, b.dir));
  const packagesByDir = new Map<string, WorkspacePackage>();
  for (const pkg of [...named].reverse()) packagesByDir.set(pkg.dir, pkg);
  const rootPackage = named.find((pkg) => pkg.dir === '');
  const hasWorkspacePackages = named.some((pkg) => pkg.dir !== '');
  const matchers = configured.map((service) => ({ service, match: picomatch(service.paths, { dot: true }) }));
  const used = new Map<string, ServiceAssignment>();
  const fileServices = new Map<string, string>();

  for (const file of files) {
    const assignment = configuredService(file) ?? packageService(file) ?? folderService(file) ?? rootService();
    used.set(assignment.name, used.get(assignment.name) ?? assignment);
    fileServices.set(file, assignment.name);
  }
  return { services: [...used.values()].sort((a, b) => compareStrings(a.name, b.name)), fileServices };

  function configuredService(file: string): ServiceAssignment | undefined {
    const relative = toConfigPath(file);
    const hit = matchers.find(({ match }) => match(relative));
    return hit && { name: hit.service.name, path: hit.service.paths.join(', '), source: 'config' };
  }

  /** The nearest package with a name, found by walking up the file's directories. */
  function packageService(file: string): ServiceAssignment | undefined {
    if (!hasWorkspacePackages) return undefined;
    let owner: WorkspacePackage | undefined;
    for (let end = file.lastIndexOf('/'); end > 0 && !owner; end = file.lastIndexOf('/', end - 1)) owner = packagesByDir.get(file.slice(0, end));
    owner ??= packagesByDir.get('');
    return owner && { name: owner.name, path: owner.dir || '.', source: 'package' };
  }

  function folderService(file: string): ServiceAssignment | undefined {
    const [parent, folder, rest] = file.split('/', 3);
    if (!parent || !folder || rest === undefined || !SERVICE_FOLDER_PARENTS.includes(parent)) return undefined;
    return { name: folder, path: `${parent}/${folder}`, source: 'folder' };
  }

  function rootService(): ServiceAssignment {
    return { name: rootPackage?.name || rootName, path: '.', source: 'root' };
  }
}

export function rootServiceName(root: string): string {
  return path.basename(path.resolve(root));
}
