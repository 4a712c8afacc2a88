import type { ProjectLayout } from '../model/project.js';

/**
 * The service a document (an AsyncAPI application) describes: the config's mapping for its path;
 * else the service whose folder holds it; else the code service its title names (compared without
 * case, punctuation, or a trailing "service", "api" or "app"); else its title.
 */
export class DeclaredServices {
  private readonly byNormalizedName = new Map<string, string>();

  constructor(
    private readonly layout: Pick<ProjectLayout, 'services' | 'fileServices'>,
    private readonly overrides: Readonly<Record<string, string>>,
  ) {
    for (const service of layout.services) {
      if (service.source !== 'root') this.byNormalizedName.set(normalize(service.name), service.name);
    }
  }

  name(file: string, declared: string): string {
    const override = this.overrides[file];
    if (override) return override;
    const folder = this.layout.fileServices.get(file);
    const folderService = folder && this.layout.services.find((service) => service.name === folder);
    if (folderService && folderService.source !== 'root') return folderService.name;
    return this.byNormalizedName.get(normalize(declared)) ?? declared;
  }
}

function normalize(name: string): string {
  return name
    .toLowerCase()
    .replace(/^@[^/]+\//, '')
    .replace(/[^a-z0-9]+/g, '')
    .replace(/(service|svc|api|app)$/, '');
}
