import picomatch from 'picomatch';

/**
 * Whether a path matches any of the globs, as `picomatch(globs, { dot: true })` says, but with the
 * globs joined into one regular expression: one test per path instead of one per glob, which on
 * 10,000 files and the dozen default excludes is most of discovery's matching time.
 */
export function anyGlob(globs: readonly string[]): (file: string) => boolean {
  if (globs.length === 0) return () => false;
  const pattern = new RegExp(globs.map((glob) => picomatch.makeRe(glob, { dot: true }).source).join('|'));
  // picomatch also counts a path written exactly as the glob as a match.
  const literal = new Set(globs);
  return (file) => pattern.test(file) || literal.has(file);
}
