import type { Noise } from './noise.js';
import type { Library } from './plan.js';
import type { ExpectedName, NameContext } from './render-names.js';

/** A publish or subscribe site written in a module, before its position is known. */
export interface PendingSite {
  kind: 'publish' | 'subscribe';
  expected: ExpectedName[];
  library: Library;
  framework: string;
  transport: string;
  /** The text at the declaration's line and column: the receiver, the callee or the decorator. */
  head: string;
}

/** The marker written where a site's node starts; replaced by nothing once positions are read. */
export const MARKER = /«(\d+)»/g;

/** Imports, module-level constants and helpers a module collects while its sites are written. */
export class ModuleScope {
  private readonly named = new Map<string, Map<string, string>>();
  private readonly typeOnly = new Map<string, Set<string>>();
  private readonly defaults = new Map<string, string>();
  private readonly namespaces = new Map<string, string>();
  private readonly constants = new Map<string, string>();
  private readonly helpers = new Map<string, string[]>();
  readonly sites: PendingSite[] = [];
  private counter = 0;

  constructor(
    readonly noise: Noise,
    readonly events: readonly string[],
    private readonly contracts: { specifier: string; namespace: boolean },
  ) {}

  /** `import { name as local } from specifier`; returns the local name. */
  importNamed(specifier: string, name: string, local = name): string {
    const names = this.named.get(specifier) ?? new Map<string, string>();
    names.set(local, name);
    this.named.set(specifier, names);
    return local;
  }

  importType(specifier: string, name: string): string {
    this.typeOnly.set(specifier, (this.typeOnly.get(specifier) ?? new Set()).add(name));
    return name;
  }

  importDefault(specifier: string, local: string): string {
    this.defaults.set(specifier, local);
    return local;
  }

  importNamespace(specifier: string, local: string): string {
    this.namespaces.set(specifier, local);
    return local;
  }

  marker(site: PendingSite): string {
    this.sites.push(site);
    return `«${this.sites.length - 1}»`;
  }

  nameContext(library: Library, position: NameContext['position']): NameContext {
    return {
      noise: this.noise,
      events: this.events,
      library,
      position,
      contract: (name) => (this.contracts.namespace ? `${this.importNamespace(this.contracts.specifier, 'contracts')}.${name}` : this.importNamed(this.contracts.specifier, name)),
      moduleConstant: (name, initializer) => {
        if (!this.constants.has(name)) this.constants.set(name, initializer);
      },
      helper: (name, lines) => this.helper(name, lines),
      unique: () => this.unique(),
    };
  }

  /** Declares a module-level helper (a function, a value) once. */
  helper(name: string, lines: string[]): void {
    if (!this.helpers.has(name)) this.helpers.set(name, lines);
  }

  unique(): number {
    return this.counter++;
  }

  importLines(): string[] {
    const lines: string[] = [];
    const specifiers = [...new Set([...this.named.keys(), ...this.typeOnly.keys(), ...this.defaults.keys(), ...this.namespaces.keys()])];
    for (const specifier of specifiers) {
      const local = this.defaults.get(specifier);
      const names = [...(this.named.get(specifier) ?? new Map<string, string>())].map(([local, name]) => (local === name ? name : `${name} as ${local}`));
      if (local || names.length > 0) lines.push(`import ${[local, names.length > 0 ? `{ ${names.join(', ')} }` : undefined].filter(Boolean).join(', ')} from '${specifier}';`);
      const namespace = this.namespaces.get(specifier);
      if (namespace) lines.push(`import * as ${namespace} from '${specifier}';`);
      const types = this.typeOnly.get(specifier);
      if (types) lines.push(`import type { ${[...types].join(', ')} } from '${specifier}';`);
    }
    return lines;
  }

  /** Module-level constants and helper functions, after the imports. */
  preludeLines(): string[] {
    return [...[...this.constants].map(([name, initializer]) => `const ${name} = ${initializer};`), ...[...this.helpers.values()].flat()];
  }
}
