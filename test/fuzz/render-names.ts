import { quoted, type Noise } from './noise.js';
import type { ContractsPlan, Library, NameRef, Via } from './plan.js';

/** What the analyzer must report for a name: the event, or a dynamic name's best pattern. */
export interface ExpectedName {
  event: string;
  dynamic: boolean;
}

export interface RenderedName {
  text: string;
  /** Statements that must run before the site (a local `const`). */
  before: string[];
  expected: ExpectedName[];
}

/** Where a name is written: what it may use and where it puts what it needs. */
export interface NameContext {
  noise: Noise;
  events: readonly string[];
  library: Library;
  /** A decorator's argument cannot use a local `const`; a wrapper's argument must be a plain value. */
  position: 'statement' | 'decorator' | 'wrapper-argument';
  /** The text that reaches an export of the contracts package, recording the import it needs. */
  contract(name: string): string;
  /** Declares a module-level `const` once. */
  moduleConstant(name: string, initializer: string): void;
  /** Declares a module-level helper function once. */
  helper(name: string, lines: string[]): void;
  /** A number unique in the module, for local names. */
  unique(): number;
}

export function constKey(event: string): string {
  return event.toUpperCase().replace(/[.-]/g, '_');
}

export function enumMember(event: string): string {
  return event
    .split(/[.-]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

function domainOf(event: string): { domain: string; action: string } {
  const dot = event.indexOf('.');
  return { domain: event.slice(0, dot), action: event.slice(dot + 1) };
}

function domainConst(domain: string): string {
  return `${domain.toUpperCase().replace(/-/g, '_')}_DOMAIN`;
}

export function renderName(ref: NameRef, context: NameContext): RenderedName {
  switch (ref.kind) {
    case 'event':
      return renderEvent(ref.event % context.events.length, ref.via, context);
    case 'dynamic':
      return renderDynamic(ref.style, context);
    case 'choice': {
      const [first, second] = ref.options.map((option) => renderName(option.kind === 'choice' ? { kind: 'dynamic', style: 'call' } : option, context)) as [
        RenderedName,
        RenderedName,
      ];
      context.helper('isRetry', ['function isRetry(): boolean {', "  return process.env.RETRY === '1';", '}']);
      return { text: `isRetry() ? ${first.text} : ${second.text}`, before: [...first.before, ...second.before], expected: [...first.expected, ...second.expected] };
    }
  }
}

function renderDynamic(style: 'call' | 'template', context: NameContext): RenderedName {
  if (style === 'call') {
    context.helper('resolveTopic', ['function resolveTopic(): string {', "  return process.env.TOPIC ?? 'fallback';", '}']);
    return { text: 'resolveTopic()', before: [], expected: [{ event: '*', dynamic: true }] };
  }
  const { domain } = domainOf(context.events[0]!);
  context.helper('resolveSuffix', ['function resolveSuffix(): string {', '  return String(Date.now());', '}']);
  return { text: `\`${domain}.\${resolveSuffix()}\``, before: [], expected: [{ event: `${domain}.*`, dynamic: true }] };
}

function renderEvent(index: number, requested: Via, context: NameContext): RenderedName {
  const event = context.events[index]!;
  const via = applicableVia(requested, context);
  const key = constKey(event);
  const { domain, action } = domainOf(event);
  const exact = (text: string, before: string[] = []): RenderedName => ({ text, before, expected: [{ event, dynamic: false }] });
  const object = () => `${context.contract('Topics')}.${key}`;
  switch (via) {
    case 'literal':
      return exact(quoted(context.noise, event));
    case 'object':
      return exact(object());
    case 'element-access':
      return exact(`${context.contract('Topics')}[${quoted(context.noise, key).replace(/`/g, "'")}]`);
    case 'enum':
      return exact(`${context.contract('DomainEvent')}.${enumMember(event)}`);
    case 'plain':
      return exact(context.contract(`${key}_TOPIC`));
    case 'template-const':
      return exact(context.contract(`${key}_EVENT`));
    case 'template-site':
      return exact(`\`\${${context.contract(domainConst(domain))}}.${action}\``);
    case 'concat-site':
      return exact(`${context.contract(domainConst(domain))} + '.${action}'`);
    case 'local': {
      const local = `topic${context.unique()}`;
      return exact(local, [`const ${local} = ${object()};`]);
    }
    case 'module-local': {
      const local = `LOCAL_${key}`;
      context.moduleConstant(local, object());
      return exact(local);
    }
    case 'static':
      return exact(`${context.contract('EventNames')}.${key}`);
    case 'env':
      return exact(`process.env.${key}_TOPIC ?? ${object()}`);
    case 'parenthesized':
      return exact(`(${object()} as string)`);
    case 'namespace-array':
      return exact(`[${quoted(context.noise, domain)}, ${quoted(context.noise, action)}]`);
    case 'object-pattern':
      return { text: `{ cmd: ${object()} }`, before: [], expected: [{ event: `{"cmd":"${event}"}`, dynamic: false }] };
    case 'renamed-reexport':
      return exact(`${context.contract('EventTopics')}.${key}`);
    case 'namespace-reexport':
      return exact(`${context.contract('Events')}.Topics.${key}`);
    case 'default-object':
      return exact(`${context.contract('DefaultTopics')}.${key}`);
    case 'commonjs':
      return exact(context.contract(`${key}_LEGACY`));
    case 'enum-alias':
      return exact(`${context.contract('DomainEvent')}.${enumMember(event)}Alias`);
    case 'destructured': {
      const local = `DESTRUCTURED_${key}`;
      context.moduleConstant(`{ ${key}: ${local} }`, context.contract('Topics'));
      return exact(local);
    }
  }
}

/** Spellings that only one library reads, or that a position cannot hold, become a plain literal or constant. */
function applicableVia(via: Via, context: NameContext): Via {
  if (via === 'namespace-array' && (context.library !== 'nestjs-event-emitter' || context.position === 'wrapper-argument')) return 'literal';
  if (via === 'object-pattern' && (context.library !== 'nestjs-microservices' || context.position === 'wrapper-argument')) return 'literal';
  if (via === 'local' && context.position === 'decorator') return 'module-local';
  return via;
}

/** The contracts package's modules: every event spelled every way a site may use. */
export function contractsModules(events: readonly string[], plan: ContractsPlan, noise: Noise): Array<{ path: string; lines: string[] }> {
  const domains = [...new Set(events.map((event) => domainOf(event).domain))];
  const topics = [
    'export const Topics = {',
    ...events.map((event) => `  ${constKey(event)}: ${quoted(noise, event)},`),
    `}${plan.asConst ? noise.pick([' as const', ' as const satisfies Record<string, string>']) : ''};`,
    '',
    ...domains.map((domain) => `export const ${domainConst(domain)} = ${quoted(noise, domain)};`),
    ...events.map((event) => `export const ${constKey(event)}_TOPIC = ${quoted(noise, event)};`),
    ...events.map((event) => `export const ${constKey(event)}_EVENT = \`\${${domainConst(domainOf(event).domain)}}.${domainOf(event).action}\`;`),
  ];
  const names = [
    'export enum DomainEvent {',
    ...events.map((event) => `  ${enumMember(event)} = ${quoted(noise, event).replace(/`/g, "'")},`),
    ...events.map((event) => `  ${enumMember(event)}Alias = ${noise.pick(['DomainEvent.', ''])}${enumMember(event)},`),
    '}',
    '',
    'export class EventNames {',
    ...events.map((event) => `  static readonly ${constKey(event)} = ${quoted(noise, event)};`),
    '}',
  ];
  const extension = noise.pick(['', '.js', '']);
  const defaults = ['export default {', ...events.map((event) => `  ${constKey(event)}: ${quoted(noise, event)},`), '};'];
  const legacy = events.map((event) => `${noise.pick(['exports', 'module.exports'])}.${constKey(event)}_LEGACY = ${quoted(noise, event)};`);
  const shared = [
    { path: 'packages/contracts/src/defaults.ts', lines: defaults },
    { path: 'packages/contracts/src/legacy.js', lines: legacy },
  ];
  const reexports = [`export { default as DefaultTopics } from './defaults${extension}';`, `export * from './legacy${extension}';`];
  if (!plan.split) {
    // One module: `export * as Events` needs a module of its own, so Events re-exports this one.
    return [...shared, { path: 'packages/contracts/src/index.ts', lines: [...topics, '', ...names, '', 'export { Topics as EventTopics };', "export * as Events from './index';", ...reexports] }];
  }
  return [
    ...shared,
    { path: 'packages/contracts/src/topics.ts', lines: topics },
    { path: 'packages/contracts/src/names.ts', lines: names },
    {
      path: 'packages/contracts/src/index.ts',
      lines: [
        `export * from './topics${extension}';`,
        noise.chance(50) ? `export { DomainEvent, EventNames } from './names${extension}';` : `export * from './names${extension}';`,
        `export { Topics as EventTopics } from './topics${extension}';`,
        `export * as Events from './topics${extension}';`,
        ...reexports,
      ],
    },
  ];
}
