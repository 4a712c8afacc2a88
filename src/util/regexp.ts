/** `text` as a regular expression that matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A `*` glob as written in the config or a dynamic name's best pattern, as a matcher. */
export function wildcardMatcher(patterns: readonly string[]): (name: string) => boolean {
  const regexes = patterns.map((pattern) => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 's'));
  return (name) => regexes.some((regex) => regex.test(name));
}
