import type { Noise } from './noise.js';

/**
 * Code around the sites that declares nothing, some of it on purpose close to what does: method
 * names the adapters know on receivers that are not clients, their tokens in strings and comments.
 */
const MODULE_LEVEL: Array<(n: number) => string[]> = [
  (n) => [`interface Payload${n} {`, '  id: string;', '  total?: number;', '}'],
  (n) => [`type Status${n} = 'pending' | 'done' | { code: number };`],
  (n) => [`export function format${n}(value: number): string {`, '  return value.toFixed(2);', '}'],
  (n) => [`const DOC_${n} = 'call producer.send({ topic }) or emitter.emit(name) to publish';`],
  (n) => [`const socket${n} = { send: (data: string) => data.length };`, `socket${n}.send('ping');`],
  () => ["process.on('SIGTERM', () => {", "  console.log('shutting down');", '});'],
  (n) => [`class Local${n} {`, '  emit(name: string): string {', '    return name;', '  }', '}', `new Local${n}().emit('not.an.event');`],
  (n) => [`const pattern${n} = /orders\\.(\\w+)\\/[a-z]+/giu;`],
  (n) => [`export const settings${n} = { retries: 3, topics: ['inline.array'] } as const;`],
  (n) => [`let counter${n} = 0;`, `counter${n}++;`],
  (n) => [`export const greeting${n} = 'héllo wörld — 日本語 🚀';`],
  (n) => [`export default class Default${n} {}`],
  (n) => [`export abstract class Base${n}<T extends object = object> {`, '  protected abstract handle(input: T): Promise<void>;', '}'],
  (n) => [`declare const injected${n}: { send(input: { topic: string }): void };`],
  (n) => [`export const handler${n} = async <T,>(input: T): Promise<T> => input;`],
  (n) => [`function* ids${n}(): Generator<number> {`, '  yield 1;', '}'],
  (n) => [`const nested${n} = { a: { b: { c: [1, [2, [3, { d: \`\${1 + 1}\` }]]] } } };`],
  (n) => [`const SEPARATORS_${n} = 'line\u2028paragraph\u2029end'; // raw U+2028 and U+2029 inside a string`],
];

const STATEMENTS: Array<(n: number) => string[]> = [
  (n) => [`const startedAt${n} = Date.now();`],
  () => ['if (Math.random() > 2) {', '  return;', '}'],
  (n) => [`for (const attempt${n} of [1, 2, 3]) {`, `  if (attempt${n} > 1) break;`, '}'],
  () => ['try {', "  JSON.parse('{}');", '} catch {', '  // ignore', '}'],
  () => ['console.debug(`handled at ${new Date().toISOString()}`);'],
  (n) => [`const { id: id${n} = 'none', ...rest${n} } = { id: 'x', other: 1 };`],
  (n) => [`const list${n} = [1, 2, 3].map((value) => value * 2).filter(Boolean);`],
  (n) => [`label${n}: for (;;) {`, `  break label${n};`, '}'],
  () => ['switch (typeof globalThis) {', "  case 'object':", '    break;', '  default:', '}'],
];

export function moduleUnrelated(noise: Noise, n: number): string[] {
  return noise.pick(MODULE_LEVEL)(n);
}

/** Zero to two statements (most often none). */
export function statementUnrelated(noise: Noise, n: number): string[] {
  return Array.from({ length: noise.few(2, 25) }, (_, index) => noise.pick(STATEMENTS)(n * 10 + index)).flat();
}
