import fc from 'fast-check';
import { LIBRARIES, VIAS, type BreakagePlan, type Library, type ConfigPlan, type ContractsPlan, type ModulePlan, type NameRef, type RepoPlan, type ServicePlan, type SitePlan, type StylePlan } from './plan.js';
import { renderRepo, type GeneratedRepo } from './render-repo.js';

/**
 * fast-check arbitraries of small repositories: a plan (which shrinks toward one service, one
 * module, one site, literal names and plain formatting), rendered to files and a model.
 */

const DOMAINS = ['order', 'payment', 'inventory', 'shipment', 'user', 'invoice'];
const ACTIONS = ['placed', 'paid', 'reserved', 'failed', 'shipped', 'created', 'cancelled', 'reservation-failed'];

/** `false` first, so that shrinking turns rare options off. */
const rarely = (weight = 4) => fc.oneof({ weight, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });

export const events = fc.uniqueArray(
  fc.tuple(fc.constantFrom(...DOMAINS), fc.constantFrom(...ACTIONS)).map(([domain, action]) => `${domain}.${action}`),
  { minLength: 1, maxLength: 6 },
);

const eventName: fc.Arbitrary<NameRef> = fc.record({ kind: fc.constant('event' as const), event: fc.nat(30), via: fc.constantFrom(...VIAS) });
const dynamicName: fc.Arbitrary<NameRef> = fc.record({ kind: fc.constant('dynamic' as const), style: fc.constantFrom('call' as const, 'template' as const) });
const simpleName = fc.oneof({ weight: 8, arbitrary: eventName }, { weight: 1, arbitrary: dynamicName });

export const nameRef: fc.Arbitrary<NameRef> = fc.oneof(
  { weight: 12, arbitrary: simpleName },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('choice' as const), options: fc.tuple(simpleName, simpleName) }) },
);

export const site: fc.Arbitrary<SitePlan> = fc.record(
  {
    kind: fc.constantFrom('publish' as const, 'subscribe' as const),
    viaWrapper: rarely(2),
    relay: rarely(),
    variant: fc.nat(5),
    names: fc.array(nameRef, { minLength: 1, maxLength: 2 }),
    reaction: nameRef,
  },
  { requiredKeys: ['kind', 'viaWrapper', 'variant', 'names'] },
);

export const modulePlan: fc.Arbitrary<ModulePlan> = fc.record({
  library: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...LIBRARIES.filter((library) => library !== 'declared')) }, { weight: 1, arbitrary: fc.constant('declared' as const) }),
  container: fc.constantFrom('functions' as const, 'class' as const),
  sites: fc.array(site, { minLength: 1, maxLength: 4 }),
  unrelated: fc.nat(3),
});

export const servicePlan: fc.Arbitrary<ServicePlan> = fc.record({
  modules: fc.array(modulePlan, { minLength: 1, maxLength: 3 }),
  wrapperStyle: fc.constantFrom('function' as const, 'class' as const, 'arrow' as const, 'object' as const),
  uncalledWrappers: rarely(),
  aliasWrapperImports: rarely(6),
  wrapperIndex: rarely(),
});

export const contractsPlan: fc.Arbitrary<ContractsPlan> = fc.record({
  importStyle: fc.constantFrom('package' as const, 'paths' as const, 'relative' as const),
  entry: fc.constantFrom('main-dist' as const, 'exports' as const, 'none' as const),
  split: fc.boolean(),
  namespaceImport: rarely(),
  asConst: fc.constantFrom(true, false),
});

const validConfig: fc.Arbitrary<ConfigPlan> = fc.record(
  {
    kind: fc.constant('valid' as const),
    format: fc.constantFrom('yaml-block' as const, 'yaml-flow' as const, 'json' as const),
    renamedServices: fc.array(fc.nat(3), { maxLength: 2 }),
    adaptersOff: fc.oneof({ weight: 4, arbitrary: fc.constant<Library[]>([]) }, { weight: 1, arbitrary: fc.subarray([...LIBRARIES], { minLength: 1, maxLength: 2 }) }),
    declare: fc.boolean(),
    rules: fc.array(fc.nat(30), { maxLength: 4 }),
    external: fc.array(fc.constantFrom('partner.*', 'legacy.order.*', '*.audit', 'order.placed'), { maxLength: 2 }),
    maxCallDepth: fc.integer({ min: 0, max: 64 }),
  },
  { requiredKeys: ['kind', 'format', 'renamedServices', 'adaptersOff', 'declare', 'rules', 'external'] },
);

export const invalidConfig: fc.Arbitrary<ConfigPlan> = fc.record({
  kind: fc.constant('invalid' as const),
  variant: fc.nat(200),
  file: fc.oneof({ weight: 4, arbitrary: fc.constant('choreolint.yaml' as const) }, { weight: 1, arbitrary: fc.constant('choreolint.json' as const) }),
});

const YAML_NOISE = [':', '-', '[', ']', '{', '}', ',', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '\t', '\n', ' ', 'x', '0', '?', '\\', '\u00e9', '\u0000'];

export const mutatedConfig: fc.Arbitrary<ConfigPlan> = fc.record({
  kind: fc.constant('mutated' as const),
  edits: fc.array(
    fc.record({ at: fc.nat(2000), remove: fc.nat(3), insert: fc.array(fc.constantFrom(...YAML_NOISE), { maxLength: 3 }).map((chars) => chars.join('')) }),
    { minLength: 1, maxLength: 3 },
  ),
});

export const configPlan: fc.Arbitrary<ConfigPlan> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 4, arbitrary: validConfig },
  { weight: 1, arbitrary: invalidConfig },
  { weight: 1, arbitrary: mutatedConfig },
);

const GARBAGE = ['{', '}', '(', ')', '[', ']', ';', ',', '.', '=', '<', '>', '@', '#', '"', "'", '`', '/', '*', '+', '-', '!', '?', ':', '0', '9', ' ', '\n', '\\', '\u00a0', '\u{1F680}'];

export const breakagePlan: fc.Arbitrary<BreakagePlan> = fc.record({
  file: fc.nat(40),
  kind: fc.constantFrom('truncate' as const, 'garbage' as const, 'unclosed' as const, 'nul' as const),
  at: fc.nat(999),
  junk: fc.array(fc.constantFrom(...GARBAGE), { maxLength: 8 }).map((chars) => chars.join('')),
});

export const stylePlan: fc.Arbitrary<StylePlan> = fc.record({
  indent: fc.constantFrom('  ' as const, '    ' as const, '\t' as const),
  semicolons: fc.constantFrom(true, false),
  crlf: rarely(),
  bom: rarely(6),
});

export function repoPlan(options: { config?: fc.Arbitrary<ConfigPlan>; breakage?: boolean; services?: number } = {}): fc.Arbitrary<RepoPlan> {
  return fc.record(
    {
      events,
      contracts: contractsPlan,
      services: fc.array(servicePlan, { minLength: 1, maxLength: options.services ?? 4 }),
      config: options.config ?? configPlan,
      // Most runs check the exact model; one in five breaks a file.
      breakage: options.breakage === false ? fc.constant(undefined) : fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: breakagePlan }),
      style: stylePlan,
      noise: fc.array(fc.nat(), { maxLength: 97 }),
    },
    { noNullPrototype: true },
  );
}

/** A rendered repository that prints as its files, for readable counterexamples. */
export function generatedRepo(options: Parameters<typeof repoPlan>[0] = {}): fc.Arbitrary<GeneratedRepo> {
  return repoPlan(options).map((plan) => {
    const repo = renderRepo(plan);
    return Object.assign(repo, { [fc.toStringMethod]: () => describeRepo(repo) });
  });
}

export function describeRepo(repo: GeneratedRepo): string {
  const files = repo.files.map((file) => `--- ${file.path}\n${file.content}`).join('\n');
  return `${files}${repo.broken ? `\n(broken: ${repo.broken.file}, ${repo.broken.kind})` : ''}`;
}
