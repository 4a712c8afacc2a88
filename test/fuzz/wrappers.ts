import { beforeParen, indented, type Noise } from './noise.js';
import type { ModuleScope } from './module-scope.js';
import type { Library, WrapperStyle } from './plan.js';
import { frameworkOf } from './render-module.js';

/**
 * A service's wrapper around one library, whose parameter names the event: functions (declared or
 * arrow), methods of an exported object literal, or a class (injected, or an exported instance).
 */
export interface Wrapper {
  library: Library;
  /** Path relative to the service's src/ folder, without extension. */
  module: string;
  style: WrapperStyle;
  publish: string;
  subscribe?: string;
  /** Object style: the object; class style: the instance the module exports, for callers outside classes. */
  instance?: string;
  className?: string;
  /** The constructor parameter that injects the class into its callers. */
  field?: string;
  calls: { publish: number; subscribe: number };
}

export const WRAPPABLE: readonly Library[] = ['kafkajs', 'eventemitter', 'nestjs-event-emitter', 'nestjs-microservices'];

/** What a wrapper's module exports, for an index that re-exports it by name. */
export function exportsOf(wrapper: Wrapper): string[] {
  const own = wrapper.style === 'class' ? [wrapper.className!, ...(wrapper.instance ? [wrapper.instance] : [])] : wrapper.style === 'object' ? [wrapper.instance!] : [wrapper.publish, wrapper.subscribe!];
  return wrapper.library === 'eventemitter' ? [...own, 'emitter'] : own;
}

export function createWrapper(library: Library, style: WrapperStyle, noise: Noise): Wrapper {
  const calls = { publish: 0, subscribe: 0 };
  switch (library) {
    case 'kafkajs': {
      const module = 'messaging/kafka-bus';
      if (style === 'class') {
        const methods = { publish: noise.pick(['publish', 'produce', 'send']), subscribe: noise.pick(['subscribe', 'consume', 'listen']) };
        return { library, module, style, ...methods, className: 'KafkaBus', instance: 'kafkaBus', field: 'bus', calls };
      }
      if (style === 'object') return { library, module, style, publish: 'publish', subscribe: 'subscribe', instance: 'kafkaEvents', calls };
      return { library, module, style, publish: noise.pick(['publishEvent', 'produceEvent', 'sendToKafka']), subscribe: noise.pick(['subscribeTo', 'consumeTopic']), calls };
    }
    case 'eventemitter': {
      const module = 'messaging/local-events';
      if (style === 'object') return { library, module, style, publish: 'announce', subscribe: 'listen', instance: 'localEvents', calls };
      return { library, module, style: style === 'class' ? 'function' : style, publish: noise.pick(['announce', 'emitLocal']), subscribe: noise.pick(['listen', 'onLocal']), calls };
    }
    case 'nestjs-event-emitter':
      return { library, module: 'messaging/domain-events', style: 'class', className: 'DomainEvents', field: 'domainEvents', publish: noise.pick(['publish', 'raise', 'emit']), calls };
    default:
      return { library, module: 'messaging/integration-events', style: 'class', className: 'IntegrationEvents', field: 'integrationEvents', publish: noise.pick(['publish', 'broadcast', 'emit']), calls };
  }
}

/**
 * The wrapper's own module. Its client calls take the event from a parameter: each call site is a
 * declaration, and a method nobody calls is one dynamic declaration where the client call is.
 */
export function renderWrapperModule(wrapper: Wrapper, scope: ModuleScope, service: string, indent: string): string[] {
  const { noise } = scope;
  // A client call is a declaration of its own only when nobody calls the wrapper; it is marked either
  // way, as a place where a declaration may be (a broken caller leaves the wrapper uncalled).
  const uncalled = (kind: 'publish' | 'subscribe') =>
    scope.marker({
      kind,
      expected: wrapper.calls[kind] === 0 ? [{ event: '*', dynamic: true }] : [],
      library: wrapper.library,
      ...frameworkOf(wrapper.library, kind, 0),
      head: headOf(wrapper, kind),
    });
  const topic = noise.pick(['topic', 'name', 'eventName']);
  const topicProperty = topic === 'topic' ? 'topic' : `topic: ${topic}`;
  const bp = () => beforeParen(noise);
  const body = (lines: string[]) => indented(lines, indent);
  const handlerType = '(payload: unknown) => Promise<void>';
  switch (wrapper.library) {
    case 'kafkajs': {
      const Kafka = scope.importNamed('kafkajs', 'Kafka');
      const client = [`const kafka = new ${Kafka}({ clientId: '${service}', brokers: ['kafka:9092'] });`];
      if (wrapper.style === 'class') {
        scope.importType('kafkajs', 'Producer');
        scope.importType('kafkajs', 'Consumer');
        return [
          `export class ${wrapper.className} {`,
          ...body([
            'constructor(',
            `${indent}private readonly producer: Producer,`,
            `${indent}private readonly consumer: Consumer,`,
            ') {}',
            '',
            `async ${wrapper.publish}(${topic}: string, payload: unknown): Promise<void> {`,
            ...body([`await ${uncalled('publish')}this.producer.send${bp()}({ ${topicProperty}, messages: [{ value: JSON.stringify(payload) }] });`]),
            '}',
            '',
            `async ${wrapper.subscribe}(${topic}: string, handler: ${handlerType}): Promise<void> {`,
            ...body([
              `await ${uncalled('subscribe')}this.consumer.subscribe${bp()}({ ${topicProperty} });`,
              `await this.consumer.run({ eachMessage: async ({ message }) => handler(JSON.parse(String(message.value))) });`,
            ]),
            '}',
          ]),
          '}',
          '',
          ...client,
          `export const ${wrapper.instance} = new ${wrapper.className}(kafka.producer(), kafka.consumer({ groupId: '${service}' }));`,
        ];
      }
      const publish = [`await ${uncalled('publish')}producer.send${bp()}({ ${topicProperty}, messages: [{ value: JSON.stringify(payload) }] });`];
      const subscribe = [
        `const consumer = kafka.consumer({ groupId: '${service}' });`,
        `await ${uncalled('subscribe')}consumer.subscribe${bp()}({ ${topicProperty} });`,
        'await consumer.run({',
        ...indented(['eachMessage: async ({ message }) => {', `${indent}await handler(JSON.parse(String(message.value)));`, '},'], indent),
        '});',
      ];
      return [
        ...client,
        'const producer = kafka.producer();',
        '',
        ...functions(wrapper, indent, [
          { name: wrapper.publish, parameters: `${topic}: string, payload: unknown`, async: true, body: publish },
          { name: wrapper.subscribe!, parameters: `${topic}: string, handler: ${handlerType}`, async: true, body: subscribe },
        ]),
      ];
    }
    case 'eventemitter': {
      const EventEmitter = scope.importNamed(noise.pick(['node:events', 'events']), 'EventEmitter');
      return [
        `export const emitter = new ${EventEmitter}();`,
        '',
        ...functions(wrapper, indent, [
          { name: wrapper.publish, parameters: `${topic}: string, payload: unknown`, async: false, body: [`${uncalled('publish')}emitter.emit${bp()}(${topic}, payload);`] },
          { name: wrapper.subscribe!, parameters: `${topic}: string, handler: (payload: unknown) => void`, async: false, body: [`${uncalled('subscribe')}emitter.on${bp()}(${topic}, handler);`] },
        ]),
      ];
    }
    case 'nestjs-event-emitter': {
      const Injectable = scope.importNamed('@nestjs/common', 'Injectable');
      const EventEmitter2 = scope.importNamed('@nestjs/event-emitter', 'EventEmitter2');
      return [
        `@${Injectable}()`,
        `export class ${wrapper.className} {`,
        ...body([
          `constructor(private readonly emitter: ${EventEmitter2}) {}`,
          '',
          `${wrapper.publish}(${topic}: string, payload: unknown): void {`,
          ...body([`${uncalled('publish')}this.emitter.emit${bp()}(${topic}, payload);`]),
          '}',
        ]),
        '}',
      ];
    }
    default: {
      const Injectable = scope.importNamed('@nestjs/common', 'Injectable');
      const Inject = scope.importNamed('@nestjs/common', 'Inject');
      const ClientProxy = scope.importNamed('@nestjs/microservices', noise.pick(['ClientProxy', 'ClientKafka', 'ClientNats']));
      return [
        `@${Injectable}()`,
        `export class ${wrapper.className} {`,
        ...body([
          `constructor(@${Inject}('EVENTS_BUS') private readonly client: ${ClientProxy}) {}`,
          '',
          `${wrapper.publish}<T>(${topic}: string, payload: T): void {`,
          ...body([`${uncalled('publish')}this.client.emit${bp()}(${topic}, payload);`]),
          '}',
        ]),
        '}',
      ];
    }
  }
}

interface WrapperFunction {
  name: string;
  parameters: string;
  async: boolean;
  body: string[];
}

/** Function declarations, exported arrow functions, or the methods of one exported object. */
function functions(wrapper: Wrapper, indent: string, members: WrapperFunction[]): string[] {
  const result = (fn: WrapperFunction) => `${fn.async ? 'Promise<void>' : 'void'}`;
  if (wrapper.style === 'object') {
    const methods = members.flatMap((fn, index) => [...(index > 0 ? [''] : []), `${fn.async ? 'async ' : ''}${fn.name}(${fn.parameters}): ${result(fn)} {`, ...indented(fn.body, indent), '},']);
    return [`export const ${wrapper.instance} = {`, ...indented(methods, indent), '};'];
  }
  return members.flatMap((fn, index) => [
    ...(index > 0 ? [''] : []),
    wrapper.style === 'arrow'
      ? `export const ${fn.name} = ${fn.async ? 'async ' : ''}(${fn.parameters}): ${result(fn)} => {`
      : `export ${fn.async ? 'async ' : ''}function ${fn.name}(${fn.parameters}): ${result(fn)} {`,
    ...indented(fn.body, indent),
    wrapper.style === 'arrow' ? '};' : '}',
  ]);
}

function headOf(wrapper: Wrapper, kind: 'publish' | 'subscribe'): string {
  switch (wrapper.library) {
    case 'kafkajs':
      return wrapper.style === 'class' ? (kind === 'publish' ? 'this.producer' : 'this.consumer') : kind === 'publish' ? 'producer' : 'consumer';
    case 'eventemitter':
      return 'emitter';
    case 'nestjs-event-emitter':
      return 'this.emitter';
    default:
      return 'this.client';
  }
}
