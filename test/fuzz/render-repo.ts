import { configuredServiceName, renderConfig, type RenderedConfig } from './configs.js';
import { MARKER, ModuleScope, type PendingSite } from './module-scope.js';
import { Noise } from './noise.js';
import type { BreakagePlan, ContractsPlan, Library, RepoPlan, StylePlan } from './plan.js';
import { renderModule } from './render-module.js';
import { contractsModules } from './render-names.js';
import { createWrapper, exportsOf, renderWrapperModule, WRAPPABLE, type Wrapper } from './wrappers.js';

export interface GeneratedFile {
  path: string;
  content: string;
}

/** A declaration the analyzer must report for the generated code. */
export interface ExpectedDeclaration {
  kind: 'publish' | 'subscribe';
  event: string;
  dynamic: boolean;
  file: string;
  line: number;
  column: number;
  service: string;
  framework: string;
  transport: string;
  /** The text at the declaration's line and column. */
  head: string;
}

export interface GeneratedRepo {
  files: GeneratedFile[];
  /** Every declaration of the repository as written; exact only when nothing is broken. */
  expected: ExpectedDeclaration[];
  /** Per source file, what a declaration's line and column may start with (for broken files too). */
  heads: Record<string, string[]>;
  config?: RenderedConfig;
  /** The file made invalid (truncated, garbage, NUL), if any. */
  broken?: { file: string; kind: BreakagePlan['kind'] };
  /** Text that makes a file a seed of the analysis whatever the dependencies (the built-in EventEmitter adapter's calls). */
  seedTokens: string[];
}

const SERVICE_NAMES = ['orders', 'payments', 'inventory', 'shipping'];
const MODULE_NAMES = ['checkout', 'fulfilment', 'ledger', 'audit', 'workflow', 'notifier'];
const DEPENDENCIES: Record<Library, Record<string, string>> = {
  kafkajs: { kafkajs: '^2.2.4' },
  eventemitter: { eventemitter3: '^5.0.1' },
  'nestjs-event-emitter': { '@nestjs/common': '^10.4.15', '@nestjs/event-emitter': '^2.1.1' },
  'nestjs-microservices': { '@nestjs/common': '^10.4.15', '@nestjs/microservices': '^10.4.15', rxjs: '^7.8.1' },
  declared: { '@acme/legacy-bus': '^1.0.0' },
};

/** The files of a plan and the model of what they declare. Deterministic: the same plan, the same repository. */
export function renderRepo(plan: RepoPlan): GeneratedRepo {
  const noise = new Noise(plan.noise);
  const files: GeneratedFile[] = [];
  const sites: Array<PendingSite & { file: string; line: number; column: number; service: string }> = [];
  const heads: Record<string, string[]> = {};
  const serviceDirs = plan.services.map((_, index) => `${noise.pick(['services', 'services', 'apps'])}/${SERVICE_NAMES[index]}`);
  const config = renderConfig(plan.config, { serviceDirs });
  const renamed = plan.config.kind === 'valid' && config ? serviceRenames(config.text, serviceDirs) : new Map<string, string>();

  const addSource = (path: string, lines: string[], scope: ModuleScope | undefined, service: string) => {
    const { text, positions } = finishSource(lines, plan.style);
    files.push({ path, content: text });
    if (!scope) return;
    heads[path] = scope.sites.map((site) => site.head);
    scope.sites.forEach((site, index) => sites.push({ ...site, file: path, ...positions[index]!, service }));
  };

  files.push({ path: 'package.json', content: json({ name: 'acme-platform', private: true, workspaces: ['services/*', 'apps/*', 'packages/*'] }) });
  files.push(...contractsPackage(plan.contracts, noise));
  const hasRootTsconfig = plan.contracts.importStyle === 'paths' || noise.chance(30);
  if (hasRootTsconfig) files.push({ path: 'tsconfig.json', content: rootTsconfig(plan.contracts, noise) });
  for (const module of contractsModules(plan.events, plan.contracts, noise)) addSource(module.path, module.lines, undefined, '');

  plan.services.forEach((service, serviceIndex) => {
    const dir = serviceDirs[serviceIndex]!;
    const name = SERVICE_NAMES[serviceIndex]!;
    const packageName = noise.pick([`@acme/${name}`, `${name}-service`]);
    const serviceName = renamed.get(dir) ?? packageName;
    const libraries = [...new Set(service.modules.map((module) => module.library))];
    const wrappers = new Map<Library, Wrapper>();
    const wrapperOf = (library: Library) => {
      if (!WRAPPABLE.includes(library)) return undefined;
      if (!wrappers.has(library)) wrappers.set(library, createWrapper(library, service.wrapperStyle, noise));
      return wrappers.get(library);
    };
    const dependencies = Object.assign({}, ...libraries.map((library) => DEPENDENCIES[library]), { '@acme/contracts': '*' }) as Record<string, string>;
    files.push({ path: `${dir}/package.json`, content: json({ name: packageName, version: '1.0.0', dependencies }) });
    if (hasRootTsconfig && noise.chance(30)) files.push({ path: `${dir}/tsconfig.json`, content: json({ extends: '../../tsconfig.json', compilerOptions: { outDir: 'dist' } }) });

    service.modules.forEach((module, moduleIndex) => {
      const scope = new ModuleScope(noise, plan.events, { specifier: contractsSpecifier(plan.contracts, noise), namespace: plan.contracts.namespaceImport });
      const wrapperExtension = noise.pick(['', '', '.js']);
      const lines = renderModule(module, {
        scope,
        indent: plan.style.indent,
        service: name,
        wrapperOf,
        wrapperSpecifier: (wrapper) => (service.wrapperIndex ? `./messaging${noise.pick(['', '/index', '/index.js'])}` : `./${wrapper.module}${wrapperExtension}`),
        aliasWrapperImports: service.aliasWrapperImports,
        extraUnits: [],
      });
      addSource(`${dir}/src/${MODULE_NAMES[moduleIndex % MODULE_NAMES.length]}-${moduleIndex}.ts`, lines, scope, serviceName);
    });
    if (service.uncalledWrappers) libraries.forEach(wrapperOf);
    for (const wrapper of wrappers.values()) {
      const scope = new ModuleScope(noise, plan.events, { specifier: '@acme/contracts', namespace: false });
      const body = renderWrapperModule(wrapper, scope, name, plan.style.indent);
      addSource(`${dir}/src/${wrapper.module}.ts`, [...scope.importLines(), '', ...body], scope, serviceName);
    }
    if (service.wrapperIndex && wrappers.size > 0) {
      const lines = [...wrappers.values()].map((wrapper) => {
        const file = wrapper.module.slice('messaging/'.length);
        return noise.chance(50) ? `export * from './${file}';` : `export { ${exportsOf(wrapper).join(', ')} } from './${file}';`;
      });
      addSource(`${dir}/src/messaging/index.ts`, lines, undefined, serviceName);
    }
  });

  if (config) files.push({ path: config.path, content: config.text });
  const enabled = enabledLibraries(plan);
  const expected = sites.flatMap((site) =>
    enabled.has(site.library)
      ? site.expected.map((name) => ({
          kind: site.kind,
          event: name.event,
          dynamic: name.dynamic,
          file: site.file,
          line: site.line,
          column: site.column,
          service: site.service,
          framework: site.framework,
          transport: site.transport,
          head: site.head,
        }))
      : [],
  );
  const broken = plan.breakage ? breakFile(files, plan.breakage) : undefined;
  const seedTokens = enabled.has('eventemitter') ? ['.emit(', '.on('] : [];
  return { files, expected, heads, seedTokens, ...(config ? { config } : {}), ...(broken ? { broken } : {}) };
}

/** Libraries whose declarations the analyzer reports: adapters the config did not switch off; declared calls only when declared. */
function enabledLibraries(plan: RepoPlan): Set<Library> {
  const off = plan.config.kind === 'valid' ? plan.config.adaptersOff : [];
  const enabled = new Set<Library>((['kafkajs', 'eventemitter', 'nestjs-event-emitter', 'nestjs-microservices'] as const).filter((library) => !off.includes(library)));
  if (plan.config.kind === 'valid' && plan.config.declare) enabled.add('declared');
  return enabled;
}

/** Service directory → the name the config's `services` gives it. */
function serviceRenames(configText: string, serviceDirs: readonly string[]): Map<string, string> {
  const renames = new Map<string, string>();
  for (const dir of serviceDirs) if (configText.includes(`${dir}/**`)) renames.set(dir, configuredServiceName(dir.split('/').at(-1)!));
  return renames;
}

/**
 * The file's text with the chosen line endings, semicolons and BOM, and the position of each
 * site marker (1-based line and UTF-16 column, as an editor past the BOM shows them).
 */
function finishSource(lines: string[], style: StylePlan): { text: string; positions: Array<{ line: number; column: number }> } {
  const withSemicolons = style.semicolons ? lines : lines.map((line) => line.replace(/;$/, ''));
  const marked = withSemicolons.join('\n').replace(/\n/g, style.crlf ? '\r\n' : '\n');
  const positions: Array<{ line: number; column: number }> = [];
  let clean = '';
  let last = 0;
  for (const match of marked.matchAll(MARKER)) {
    clean += marked.slice(last, match.index);
    last = match.index + match[0].length;
    const lineStart = clean.lastIndexOf('\n') + 1;
    positions[Number(match[1])] = { line: clean.split('\n').length, column: clean.length - lineStart + 1 };
  }
  clean += marked.slice(last);
  return { text: `${style.bom ? '\uFEFF' : ''}${clean}${style.crlf ? '\r\n' : '\n'}`, positions };
}

function contractsPackage(plan: ContractsPlan, noise: Noise): GeneratedFile[] {
  const manifest: Record<string, unknown> = { name: '@acme/contracts', version: '1.0.0' };
  if (plan.entry === 'main-dist') Object.assign(manifest, { main: 'dist/index.js', types: 'dist/index.d.ts' });
  if (plan.entry === 'exports') manifest.exports = { '.': { types: noise.pick(['./src/index.ts', './dist/index.d.ts']), default: './dist/index.js' } };
  return [{ path: 'packages/contracts/package.json', content: json(manifest) }];
}

function rootTsconfig(plan: ContractsPlan, noise: Noise): string {
  const paths = plan.importStyle === 'paths' ? { '@contracts': ['packages/contracts/src/index.ts'], '@contracts/*': ['packages/contracts/src/*'] } : undefined;
  const comment = noise.chance(30) ? '// shared compiler settings\n' : '';
  return `${comment}${JSON.stringify({ compilerOptions: { strict: true, ...(paths ? { baseUrl: '.', paths } : {}) } }, null, 2)}\n`;
}

/** How a service module (at `<service>/src/<module>.ts`) imports the contracts. */
function contractsSpecifier(plan: ContractsPlan, noise: Noise): string {
  switch (plan.importStyle) {
    case 'package':
      return '@acme/contracts';
    case 'paths':
      return noise.pick(['@contracts', '@contracts/index']);
    case 'relative':
      return noise.pick(['../../../packages/contracts/src', '../../../packages/contracts/src/index', '../../../packages/contracts/src/index.js']);
  }
}

const JUNK = ['}}', ')]', '@@', '<<<', '=>=>', "'", '`${', '/*', '#!', '\\u{zz', '...', ';;;(', '0x', '?.?', '\u2028', '\r'];

/** Breaks one file (a source file or a manifest) the way the plan says. */
function breakFile(files: GeneratedFile[], plan: BreakagePlan): { file: string; kind: BreakagePlan['kind'] } | undefined {
  const candidates = files.filter((file) => /\.(ts|js|json)$/.test(file.path) && !/choreolint\.json$/.test(file.path));
  const target = candidates[plan.file % candidates.length];
  if (!target) return undefined;
  const at = Math.floor((target.content.length * (plan.at % 1000)) / 1000);
  const insert = (text: string) => target.content.slice(0, at) + text + target.content.slice(at);
  switch (plan.kind) {
    case 'truncate':
      target.content = target.content.slice(0, at);
      break;
    case 'garbage':
      target.content = insert(plan.junk || JUNK[plan.at % JUNK.length]!);
      break;
    case 'unclosed':
      target.content = insert(['{', '(', "'", '`', '/*', '<', '['][plan.at % 7]!);
      break;
    case 'nul':
      target.content = insert('\0');
      break;
  }
  return { file: target.path, kind: plan.kind };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
