import { beforeParen, commentLines, indented, inlineComment, type Noise } from './noise.js';
import type { ModuleScope } from './module-scope.js';
import type { Library, ModulePlan, NameRef, SitePlan } from './plan.js';
import { renderName, type NameContext, type RenderedName } from './render-names.js';
import { moduleUnrelated, statementUnrelated } from './unrelated.js';
import type { Wrapper } from './wrappers.js';

export interface ModuleEnvironment {
  scope: ModuleScope;
  indent: string;
  service: string;
  /** The service's wrapper of a library, if it has one; its calls are counted as sites use it. */
  wrapperOf(library: Library): Wrapper | undefined;
  /** How this module imports the wrapper's module. */
  wrapperSpecifier(wrapper: Wrapper): string;
  aliasWrapperImports: boolean;
  /** Functions (or methods) that sites need besides their own: relays to a wrapper. */
  extraUnits: string[][];
}

export function frameworkOf(library: Library, kind: 'publish' | 'subscribe', variant: number): { framework: string; transport: string } {
  switch (library) {
    case 'kafkajs':
      return { framework: 'kafkajs', transport: 'kafka' };
    case 'eventemitter':
      return { framework: 'eventemitter', transport: 'in-process' };
    case 'nestjs-event-emitter':
      return { framework: 'nestjs-event-emitter', transport: 'in-process' };
    case 'nestjs-microservices':
      return { framework: 'nestjs-microservices', transport: isRpc(kind, variant) ? 'rpc' : 'nestjs' };
    case 'declared':
      return { framework: 'declared', transport: 'custom' };
  }
}

/** nestjs-microservices: `client.send` and `@MessagePattern` are request/reply. */
function isRpc(kind: 'publish' | 'subscribe', variant: number): boolean {
  return (kind === 'publish' && variant % 3 === 2) || (kind === 'subscribe' && variant % 3 === 1);
}

/** The receivers and the class shape a module's library needs. */
interface LibrarySetup {
  setup: string[];
  classDecorator?: string;
  classExtends?: string;
  classFields: string[];
  ctorParams: string[];
  ctorBody: string[];
  /** Receiver text of publishes and subscribes (`producer`, `this.eventEmitter`…). */
  publisher: string;
  subscriber: string;
  /** nestjs: the decorators' names as written (`OnEvent`, `ee.OnEvent`). */
  decorators: Record<string, string>;
  rxjs?: string;
}

/** A module of one library's sites: top-level functions, or methods of one class. */
export function renderModule(plan: ModulePlan, env: ModuleEnvironment): string[] {
  const { scope, indent } = env;
  const { noise } = scope;
  const container = plan.library === 'nestjs-event-emitter' || plan.library === 'nestjs-microservices' ? 'class' : plan.container;
  const setup = librarySetup(plan.library, container, env);
  const units = [...plan.sites.map((site, index) => renderSite(site, index, plan.library, container, setup, env)), ...env.extraUnits];
  const unrelatedModule = Array.from({ length: plan.unrelated }, () => moduleUnrelated(noise, scope.unique()));

  const body: string[] = [];
  if (container === 'functions') {
    for (const unit of units) body.push('', ...commentLines(noise), ...unit);
  } else {
    const header = `export class Module${scope.unique()}${setup.classExtends ? ` extends ${setup.classExtends}` : ''} {`;
    const members: string[] = [...setup.classFields];
    if (setup.ctorParams.length > 0 || setup.ctorBody.length > 0) {
      members.push(
        ...(setup.ctorParams.length > 1 && noise.chance(50)
          ? ['constructor(', ...indented(setup.ctorParams.map((param) => `${param},`), indent), `) {${setup.ctorBody.length === 0 ? '}' : ''}`]
          : [`constructor(${setup.ctorParams.join(', ')}) {${setup.ctorBody.length === 0 ? '}' : ''}`]),
        ...(setup.ctorBody.length > 0 ? [...indented(setup.ctorBody, indent), '}'] : []),
      );
    }
    for (const unit of units) members.push('', ...commentLines(noise), ...unit);
    body.push('', ...(setup.classDecorator ? [setup.classDecorator] : []), header, ...indented(members, indent), '}');
  }
  return [...scope.importLines(), '', ...scope.preludeLines(), ...setup.setup, ...unrelatedModule.flatMap((lines) => ['', ...lines]), ...body];
}

function librarySetup(library: Library, container: 'functions' | 'class', env: ModuleEnvironment): LibrarySetup {
  const { scope } = env;
  const { noise } = scope;
  const empty = { setup: [], classFields: [], ctorParams: [], ctorBody: [], decorators: {} };
  switch (library) {
    case 'kafkajs': {
      if (container === 'functions') {
        const Kafka = scope.importNamed('kafkajs', 'Kafka');
        return {
          ...empty,
          setup: [`const kafka = new ${Kafka}({ clientId: '${env.service}', brokers: ['kafka:9092'] });`, 'const producer = kafka.producer();'],
          publisher: 'producer',
          subscriber: 'consumer',
        };
      }
      scope.importType('kafkajs', 'Producer');
      scope.importType('kafkajs', 'Consumer');
      return { ...empty, ctorParams: ['private readonly producer: Producer', 'private readonly consumer: Consumer'], publisher: 'this.producer', subscriber: 'this.consumer' };
    }
    case 'eventemitter': {
      if (container === 'functions' && noise.chance(20)) {
        // The emitter that the service's wrapper module creates and exports.
        const emitter = scope.importNamed(env.wrapperSpecifier(env.wrapperOf('eventemitter')!), 'emitter');
        return { ...empty, publisher: emitter, subscriber: emitter };
      }
      const { construct, type, setup } = emitterImport(scope);
      if (container === 'functions') return { ...empty, setup: [...setup, `const emitter = new ${construct}();`], publisher: 'emitter', subscriber: 'emitter' };
      const shape = noise.pick(['field', 'extends', 'parameter'] as const);
      if (shape === 'extends') return { ...empty, setup, classExtends: construct, ctorBody: ['super();'], publisher: 'this', subscriber: 'this' };
      if (shape === 'field') return { ...empty, setup, classFields: [`private readonly emitter = new ${construct}();`], publisher: 'this.emitter', subscriber: 'this.emitter' };
      return { ...empty, setup, ctorParams: [`private readonly emitter: ${type}`], publisher: 'this.emitter', subscriber: 'this.emitter' };
    }
    case 'nestjs-event-emitter': {
      const Injectable = scope.importNamed('@nestjs/common', 'Injectable');
      const namespace = noise.chance(20) ? scope.importNamespace('@nestjs/event-emitter', 'ee') : undefined;
      const EventEmitter2 = namespace ? `${namespace}.EventEmitter2` : scope.importNamed('@nestjs/event-emitter', 'EventEmitter2');
      const OnEvent = namespace ? `${namespace}.OnEvent` : scope.importNamed('@nestjs/event-emitter', 'OnEvent');
      return {
        ...empty,
        classDecorator: `@${Injectable}()`,
        ctorParams: [`private readonly eventEmitter: ${EventEmitter2}`],
        publisher: 'this.eventEmitter',
        subscriber: 'this.eventEmitter',
        decorators: { OnEvent },
      };
    }
    case 'nestjs-microservices': {
      const Controller = scope.importNamed('@nestjs/common', 'Controller');
      const Inject = scope.importNamed('@nestjs/common', 'Inject');
      const client = scope.importNamed('@nestjs/microservices', noise.pick(['ClientProxy', 'ClientKafka', 'ClientRMQ']));
      return {
        ...empty,
        classDecorator: `@${Controller}()`,
        ctorParams: [`@${Inject}('EVENTS_CLIENT') private readonly client: ${client}`],
        publisher: 'this.client',
        subscriber: 'this.client',
        decorators: {
          EventPattern: scope.importNamed('@nestjs/microservices', 'EventPattern'),
          MessagePattern: scope.importNamed('@nestjs/microservices', 'MessagePattern'),
          Payload: scope.importNamed('@nestjs/microservices', 'Payload'),
        },
      };
    }
    case 'declared':
      return { ...empty, publisher: scope.importNamed('@acme/legacy-bus', 'emitDomainEvent'), subscriber: scope.importNamed('@acme/legacy-bus', 'onDomainEvent') };
  }
}

/** Node's EventEmitter as the code imports it: named, default, namespace, `import = require`, or eventemitter3. */
function emitterImport(scope: ModuleScope): { construct: string; type: string; setup: string[] } {
  switch (scope.noise.pick(['named', 'node-named', 'default', 'namespace', 'require', 'eventemitter3'] as const)) {
    case 'named':
      return { construct: scope.importNamed('events', 'EventEmitter'), type: 'EventEmitter', setup: [] };
    case 'node-named':
      return { construct: scope.importNamed('node:events', 'EventEmitter'), type: 'EventEmitter', setup: [] };
    case 'default':
      return { construct: scope.importDefault('events', 'EventEmitter'), type: 'EventEmitter', setup: [] };
    case 'namespace': {
      const events = scope.importNamespace('node:events', 'events');
      return { construct: `${events}.EventEmitter`, type: `${events}.EventEmitter`, setup: [] };
    }
    case 'require':
      return { construct: 'EventEmitter', type: 'EventEmitter', setup: ["import EventEmitter = require('events');"] };
    case 'eventemitter3':
      return { construct: scope.importDefault('eventemitter3', 'EventEmitter'), type: 'EventEmitter', setup: [] };
  }
}

/** One site as a function (or method) of its own, with unrelated statements around it. */
function renderSite(site: SitePlan, index: number, library: Library, container: 'functions' | 'class', setup: LibrarySetup, env: ModuleEnvironment): string[] {
  const { scope, indent } = env;
  const { noise } = scope;
  const wrapper = site.viaWrapper ? env.wrapperOf(library) : undefined;
  const wrapped = wrapper && (site.kind === 'publish' || wrapper.subscribe) ? wrapper : undefined;
  const async = container === 'functions' ? 'export async function ' : 'async ';
  const signature = (name: string, parameters = 'payload: unknown') => `${async}${name}${index}(${parameters}): Promise<void> {`;
  const around = (statements: string[]) => [
    ...statementUnrelated(noise, scope.unique()),
    ...commentLines(noise),
    ...statements,
    ...statementUnrelated(noise, scope.unique()),
  ];

  if (!wrapped && site.kind === 'subscribe') {
    const decorated = decoratedSubscription(site, library, setup, env);
    if (decorated) return decorated;
  }
  const statements = wrapped ? wrapperCall(site, wrapped, container, setup, env) : directSite(site, library, container, setup, env);
  if (container === 'functions' && site.variant % 5 === 4) {
    // Code at module level, run when the module loads (top-level await included).
    scope.helper('payload', ["const payload: unknown = { source: 'startup' };"]);
    return statements;
  }
  return [signature(site.kind === 'publish' ? 'step' : 'react'), ...indented(around(statements), indent), '}'];
}

function rendered(ref: NameRef, library: Library, env: ModuleEnvironment, position: NameContext['position']): RenderedName {
  return renderName(ref, env.scope.nameContext(library, position));
}

function directSite(site: SitePlan, library: Library, container: 'functions' | 'class', setup: LibrarySetup, env: ModuleEnvironment): string[] {
  const { scope, indent } = env;
  const { noise } = scope;
  const framework = frameworkOf(library, site.kind, site.variant);
  const bp = () => beforeParen(noise);
  const chain = (receiver: string) => (noise.chance(10) ? `${receiver}\n${indent}` : receiver);
  const mark = (names: RenderedName[], head: string) => scope.marker({ kind: site.kind, expected: names.flatMap((name) => name.expected), library, ...framework, head });
  const names = site.names.map((ref) => rendered(ref, library, env, 'statement'));
  const name = names[0]!;
  switch (library) {
    case 'kafkajs': {
      if (site.kind === 'publish') {
        if (site.variant % 2 === 1) {
          const elements = names.map((element) => `${mark([element], '{')}{ topic: ${element.text}, messages: [{ value: 'batch' }] }`);
          return [...names.flatMap((element) => element.before), `await ${chain(setup.publisher)}.sendBatch${bp()}({ topicMessages: [${elements.join(', ')}] });`];
        }
        const message = noise.chance(30)
          ? ['{', `${indent}topic: ${name.text},`, `${indent}messages: [{ key: 'id', value: JSON.stringify(payload) }],`, '}']
          : [`{${inlineComment(noise)}topic: ${name.text}, messages: [{ value: JSON.stringify(payload) }] }`];
        const call = `await${inlineComment(noise)}${mark([name], setup.publisher)}${chain(setup.publisher)}.send${bp()}(${message[0]}`;
        return [...name.before, ...joinLines(call, message.slice(1), ');')];
      }
      const consumer = container === 'functions' ? [`const consumer = kafka.consumer({ groupId: '${env.service}-${scope.unique()}' });`, 'await consumer.connect();'] : [];
      const subscribe =
        site.variant % 3 === 1
          ? `await ${setup.subscriber}.subscribe${bp()}({ topics: [${names.map((element) => `${mark([element], element.text)}${element.text}`).join(', ')}] });`
          : `await ${mark([name], setup.subscriber)}${chain(setup.subscriber)}.subscribe${bp()}({ topic: ${name.text}${site.variant % 3 === 2 ? ', fromBeginning: true' : ''} });`;
      const reaction = site.reaction ? directReaction(site.reaction, library, container, setup, env) : [];
      return [
        ...consumer,
        ...(site.variant % 3 === 1 ? names : [name]).flatMap((element) => element.before),
        subscribe,
        `await ${setup.subscriber}.run({`,
        ...indented(['eachMessage: async ({ topic, message }) => {', ...indented([`console.log(topic, String(message.value));`, ...reaction], indent), '},'], indent),
        '});',
      ];
    }
    case 'eventemitter':
    case 'nestjs-event-emitter': {
      const receiver = site.kind === 'publish' ? setup.publisher : setup.subscriber;
      if (site.kind === 'publish') {
        const emitAsync = library === 'nestjs-event-emitter' && site.variant % 2 === 1;
        return [...name.before, `${emitAsync ? 'await ' : ''}${mark([name], receiver)}${chain(receiver)}.${emitAsync ? 'emitAsync' : 'emit'}${bp()}(${name.text}, payload);`];
      }
      const method = library === 'eventemitter' ? (['on', 'once', 'addListener'] as const)[site.variant % 3]! : 'on';
      const reaction = site.reaction ? directReaction(site.reaction, library, container, setup, env) : [];
      return [...name.before, `${mark([name], receiver)}${chain(receiver)}.${method}${bp()}(${name.text}, (event: unknown) => {`, ...indented(['console.log(event);', ...reaction], indent), '});'];
    }
    case 'nestjs-microservices': {
      const rpc = site.variant % 3 === 2;
      const generic = site.variant % 3 === 1 ? '<string>' : '';
      if (rpc) {
        const firstValueFrom = (setup.rxjs ??= scope.importNamed('rxjs', 'firstValueFrom'));
        return [...name.before, `await ${firstValueFrom}(${mark([name], setup.publisher)}${setup.publisher}.send${bp()}(${name.text}, payload));`];
      }
      return [...name.before, `${mark([name], setup.publisher)}${chain(setup.publisher)}.emit${generic}${bp()}(${name.text}, payload);`];
    }
    case 'declared': {
      if (site.kind === 'publish') return [...name.before, `${mark([name], setup.publisher)}${setup.publisher}${bp()}(${name.text}, payload);`];
      const reaction = site.reaction ? directReaction(site.reaction, library, container, setup, env) : [];
      return [...name.before, `${mark([name], setup.subscriber)}${setup.subscriber}${bp()}(${name.text}, async (event: unknown) => {`, ...indented(['console.log(event);', ...reaction], indent), '});'];
    }
  }
}

/** `@OnEvent(…)` and `@EventPattern(…)` methods; undefined for libraries that subscribe by calls. */
function decoratedSubscription(site: SitePlan, library: Library, setup: LibrarySetup, env: ModuleEnvironment): string[] | undefined {
  const { scope, indent } = env;
  const { noise } = scope;
  const framework = frameworkOf(library, site.kind, site.variant);
  const mark = (names: RenderedName[], head: string) => scope.marker({ kind: 'subscribe', expected: names.flatMap((name) => name.expected), library, ...framework, head });
  const method = (decorator: string, parameter: string) => [
    decorator,
    `async on${scope.unique()}(${parameter}): Promise<void> {`,
    ...indented(['console.log(payload);', ...(site.reaction ? directReaction(site.reaction, library, 'class', setup, env) : [])], indent),
    '}',
  ];
  if (library === 'nestjs-event-emitter' && site.variant % 2 === 0) {
    const name = rendered(site.names[0]!, library, env, 'decorator');
    const options = noise.chance(20) ? ', { async: true }' : '';
    return method(`${mark([name], `@${setup.decorators.OnEvent}`)}@${setup.decorators.OnEvent}${beforeParen(noise)}(${name.text}${options})`, 'payload: unknown');
  }
  if (library === 'nestjs-microservices') {
    const decorator = site.variant % 3 === 1 ? setup.decorators.MessagePattern! : setup.decorators.EventPattern!;
    const names = site.names.map((ref) => rendered(ref, library, env, 'decorator'));
    const list = site.variant % 3 === 2 && names.length > 1;
    const argument = list ? `[${names.map((name) => `${mark([name], name.text)}${name.text}`).join(', ')}]` : names[0]!.text;
    const head = list ? '' : mark([names[0]!], `@${decorator}`);
    return method(`${head}@${decorator}${beforeParen(noise)}(${argument})`, `@${setup.decorators.Payload}() payload: unknown`);
  }
  return undefined;
}

/** A publish inside a subscription's handler, written with the library's own client. */
function directReaction(ref: NameRef, library: Library, container: 'functions' | 'class', setup: LibrarySetup, env: ModuleEnvironment): string[] {
  return directSite({ kind: 'publish', viaWrapper: false, variant: 0, names: [ref] }, library, container, setup, env);
}

/** A call of the service's wrapper, with the event's name as its argument. */
function wrapperCall(site: SitePlan, wrapper: Wrapper, container: 'functions' | 'class', setup: LibrarySetup, env: ModuleEnvironment): string[] {
  const { scope, indent } = env;
  const { noise } = scope;
  const kind = site.kind;
  const method = kind === 'publish' ? wrapper.publish : wrapper.subscribe!;
  const specifier = env.wrapperSpecifier(wrapper);
  let callee: string;
  let head: string;
  if (wrapper.style === 'function' || wrapper.style === 'arrow') {
    callee = scope.importNamed(specifier, method, env.aliasWrapperImports ? `${method}Alias` : method);
    head = callee;
  } else if (wrapper.instance && (wrapper.style === 'object' || container === 'functions')) {
    head = scope.importNamed(specifier, wrapper.instance);
    callee = `${head}.${method}`;
  } else {
    scope.importNamed(specifier, wrapper.className!);
    head = `this.${wrapper.field}`;
    callee = `${head}.${method}`;
    inject(wrapper, setup, noise);
  }
  wrapper.calls[kind]++;
  if (site.relay) ({ callee, head } = relayThrough(callee, kind, container, env));
  const name = rendered(site.names[0]!, wrapper.library, env, 'wrapper-argument');
  const marker = scope.marker({ kind, expected: name.expected, library: wrapper.library, ...frameworkOf(wrapper.library, kind, 0), head });
  const wait = wrapper.library === 'kafkajs' ? 'await ' : '';
  if (kind === 'publish' && site.names.length > 1 && site.variant % 3 === 2) {
    // Two calls on one line: declarations told apart by their columns.
    const second = rendered(site.names[1]!, wrapper.library, env, 'wrapper-argument');
    const secondMarker = scope.marker({ kind, expected: second.expected, library: wrapper.library, ...frameworkOf(wrapper.library, kind, 0), head });
    return [...name.before, ...second.before, `await Promise.all([${marker}${callee}(${name.text}, payload), ${secondMarker}${callee}(${second.text}, payload)]);`];
  }
  if (kind === 'publish') return [...name.before, `${wait}${marker}${callee}${beforeParen(noise)}(${name.text}, payload);`];
  const reaction = site.reaction ? wrapperCall({ kind: 'publish', viaWrapper: true, variant: 0, names: [site.reaction] }, wrapper, container, setup, env) : [];
  return [...name.before, `${wait}${marker}${callee}${beforeParen(noise)}(${name.text}, async (event: unknown) => {`, ...indented(['console.log(event);', ...reaction], indent), '});'];
}

/** The wrapper class as a constructor's parameter property, or a field the constructor assigns. */
function inject(wrapper: Wrapper, setup: LibrarySetup, noise: Noise): void {
  const field = `private readonly ${wrapper.field}: ${wrapper.className}`;
  if (setup.ctorParams.includes(field) || setup.classFields.includes(`${field};`)) return;
  if (noise.chance(70)) {
    setup.ctorParams.push(field);
    return;
  }
  setup.classFields.push(`${field};`);
  setup.ctorParams.push(`${wrapper.field}: ${wrapper.className}`);
  setup.ctorBody.push(`this.${wrapper.field} = ${wrapper.field};`);
}

/**
 * A function of the module that takes the event's name and passes it on to the wrapper: the
 * declaration lands where the relay is called, two templates away from the client call.
 */
function relayThrough(callee: string, kind: 'publish' | 'subscribe', container: 'functions' | 'class', env: ModuleEnvironment): { callee: string; head: string } {
  const { scope, indent } = env;
  const name = `relay${scope.unique()}`;
  const second = kind === 'publish' ? 'payload: unknown' : 'handler: (event: unknown) => Promise<void>';
  const declaration = container === 'functions' ? `async function ${name}` : `private async ${name}`;
  env.extraUnits.push([`${declaration}(topic: string, ${second}): Promise<void> {`, `${indent}await ${callee}(topic, ${kind === 'publish' ? 'payload' : 'handler'});`, '}']);
  const relay = container === 'functions' ? name : `this.${name}`;
  return { callee: relay, head: relay };
}

/** A statement whose first line is `head` and whose continuation lines are indented, closed by `close`. */
function joinLines(head: string, rest: string[], close: string): string[] {
  if (rest.length === 0) return [`${head}${close}`];
  return [head, ...rest.slice(0, -1), `${rest.at(-1)}${close}`];
}
