import v8 from 'node:v8';
import type { MatchKind } from '../model/result.js';

export type NameMatcher = (name: string) => boolean;

/**
 * A matcher for a subscription pattern in the syntax of its broker. Unknown or invalid patterns
 * match nothing (the subscription then shows as dangling, which is the honest answer).
 */
export function compilePattern(kind: MatchKind, pattern: string): NameMatcher {
  switch (kind) {
    case 'regex':
      return regexLiteral(pattern);
    case 'amqp':
      return exchangePattern(pattern);
    case 'nats':
      return tokenPattern(pattern, '.', '*', '>');
    case 'mqtt':
      return tokenPattern(pattern, '/', '+', '#');
    case 'eventemitter2':
      return eventEmitter2Pattern(pattern);
    case 'glob':
      return globPattern(pattern);
  }
}

/**
 * A regular expression from the analyzed code, run against every event name: it must not be able
 * to hang the run. V8 falls back to its linear-time engine once a match backtracks too much; a
 * pattern that engine cannot run (backreferences, lookarounds, the i, u and v flags) is refused
 * when it could backtrack without bound (it then matches nothing). Names longer than any event
 * name are not matched at all, which bounds what polynomial backtracking remains.
 */
function regexLiteral(literal: string): NameMatcher {
  const match = /^\/(.*)\/([a-z]*)$/s.exec(literal);
  if (!match) return () => false;
  const [, source, flags] = match as unknown as [string, string, string];
  if (!linearEngineRuns(source, flags) && backtracksWithoutBound(source)) return () => false;
  fallBackToLinearEngine();
  try {
    const regex = new RegExp(source, flags.replace(/[gy]/g, ''));
    return (name) => name.length <= MAX_MATCHED_NAME && regex.test(name);
  } catch {
    return () => false;
  }
}

const MAX_MATCHED_NAME = 1_000;
let linearFallback = false;

function fallBackToLinearEngine(): void {
  if (linearFallback) return;
  linearFallback = true;
  // Only changes how long a pathological match takes, never its result.
  v8.setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
}

function linearEngineRuns(source: string, flags: string): boolean {
  return !/[iuv]/.test(flags) && !/\\[1-9]|\\k<|\(\?<?[=!]/.test(source);
}

/** A quantified group (`(a+)+`, `(a|b)*`), or more than two unbounded quantifiers: exponential or worse than quadratic. */
function backtracksWithoutBound(source: string): boolean {
  let inClass = false;
  let unbounded = 0;
  for (let index = 0; index < source.length; index++) {
    const char = source[index]!;
    const next = source[index + 1];
    if (char === '\\') index++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (char === ')' && (next === '*' || next === '+' || next === '{')) return true;
    else if (char === '*' || char === '+' || (char === '{' && /^\{\d+,\}/.test(source.slice(index)))) unbounded++;
  }
  return unbounded > 2;
}

/**
 * AMQP topic bindings on `exchange/routing.key` names: the exchange must be equal, then in the
 * routing key `*` is exactly one word and `#` zero or more words.
 */
function exchangePattern(pattern: string): NameMatcher {
  const slash = pattern.indexOf('/');
  const exchange = slash === -1 ? '' : pattern.slice(0, slash);
  const words = (slash === -1 ? pattern : pattern.slice(slash + 1)).split('.');
  return (name) => {
    const nameSlash = name.indexOf('/');
    const nameExchange = nameSlash === -1 ? '' : name.slice(0, nameSlash);
    if (nameExchange !== exchange) return false;
    return matchWords(words, (nameSlash === -1 ? name : name.slice(nameSlash + 1)).split('.'), '*', '#');
  };
}

function tokenPattern(pattern: string, separator: string, one: string, rest: string): NameMatcher {
  const tokens = pattern.split(separator);
  return (name) => matchWords(tokens, name.split(separator), one, rest);
}

function matchWords(pattern: readonly string[], words: readonly string[], one: string, many: string): boolean {
  // Dynamic programming over (pattern index, word index): linear in their product, no backtracking.
  let reachable = new Set([0]);
  for (const token of pattern) {
    const next = new Set<number>();
    for (const index of reachable) {
      if (token === many) for (let end = index; end <= words.length; end++) next.add(end);
      else if (index < words.length && (token === one || token === words[index])) next.add(index + 1);
    }
    reachable = next;
    if (reachable.size === 0) return false;
  }
  return reachable.has(words.length);
}

/** EventEmitter2 wildcards with `.` delimiters: `*` one segment, `**` any number of segments. */
function eventEmitter2Pattern(pattern: string): NameMatcher {
  return tokenPattern(pattern, '.', '*', '**');
}

/** Redis PSUBSCRIBE glob: `*` any characters, `?` one, `[abc]` a class. */
function globPattern(pattern: string): NameMatcher {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else if (char === '[') {
      const end = pattern.indexOf(']', index + 1);
      if (end === -1) source += '\\[';
      else {
        source += `[${pattern.slice(index + 1, end).replace(/\\/g, '\\\\')}]`;
        index = end;
      }
    } else if (char === '\\' && index + 1 < pattern.length) source += `\\${pattern[++index]}`;
    else source += char.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`, 's');
  return (name) => regex.test(name);
}
