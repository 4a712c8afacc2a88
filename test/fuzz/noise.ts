/**
 * Formatting choices drawn from the plan's random numbers. A zero always means the plain choice,
 * so shrinking a failing plan toward zeros also strips the formatting noise that did not matter.
 */
export class Noise {
  private cursor = 0;

  constructor(private readonly values: readonly number[]) {}

  private next(): number {
    if (this.values.length === 0) return 0;
    return this.values[this.cursor++ % this.values.length]!;
  }

  /** True with about `percent`% probability; never for a zero. */
  chance(percent: number): boolean {
    return this.next() % 100 >= 100 - percent;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.next() % items.length]!;
  }

  /** 0 most of the time, else 1..max. */
  few(max: number, percent = 30): number {
    return this.chance(percent) ? 1 + (this.next() % max) : 0;
  }
}

const LINE_COMMENTS = [
  '// TODO: retry with backoff',
  '// keep in sync with the contracts package',
  '// choreolint-disable-next-line orphan-event -- consumed by the analytics team',
  '// choreolint-disable-next-line',
  '// choreolint-disable-next-line no-such-rule, event-cycle',
  "// producer.send({ topic: 'commented.out', messages: [] })",
  "// emitter.emit('commented.out')",
  '// ünïcödé ✓ 🚀 — “quoted”',
  '/** @deprecated use the v2 topic */',
  '/* multi\n   line comment with */ /* two parts */',
  "/* @OnEvent('commented.out') */",
];

const INLINE_COMMENTS = ['/* why */', '/* 🚀 */', '/** @see docs */', '/* a */ /* b */'];

/** A comment line (possibly several lines), or nothing. */
export function commentLines(noise: Noise, percent = 15): string[] {
  return noise.chance(percent) ? noise.pick(LINE_COMMENTS).split('\n') : [];
}

/** A block comment between tokens, with the spaces around it, or a plain space. */
export function inlineComment(noise: Noise, percent = 8): string {
  return noise.chance(percent) ? ` ${noise.pick(INLINE_COMMENTS)} ` : ' ';
}

/** Lines of a block, each indented one level (blank lines stay blank). */
export function indented(lines: readonly string[], indent: string): string[] {
  return lines.map((line) => (line === '' ? '' : `${indent}${line}`));
}

/** A string literal of `value` in single, double or backtick quotes. */
export function quoted(noise: Noise, value: string): string {
  const quote = noise.pick(["'", '"', "'", '`']);
  return `${quote}${value}${quote}`;
}

/** Between a callee and its `(`: nothing, or rarely a space (legal, and not what prettier writes). */
export function beforeParen(noise: Noise): string {
  return noise.chance(3) ? ' ' : '';
}
