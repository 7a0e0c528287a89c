// Configs hold Go (RE2) regular expressions. Their common syntax is the same in JavaScript; we translate the
// few spellings that differ and let anything else fail loudly at config load rather than match differently.

const LEADING_FLAGS = /^\(\?([imsU]+)\)/;

/** Compiles a Go regular expression into an equivalent JavaScript RegExp, or throws a readable Error. */
export function compileGoRegexp(source: string): RegExp {
  let pattern = source;
  let flags = 'u';
  const leading = LEADING_FLAGS.exec(pattern);
  if (leading) {
    const goFlags = leading[1] as string;
    if (goFlags.includes('U')) throw new Error(`flag U (ungreedy) is not supported in ${JSON.stringify(source)}`);
    flags += goFlags;
    pattern = pattern.slice(leading[0].length);
  }
  pattern = pattern.replace(/\(\?P</g, '(?<').replace(/\\A/g, '^').replace(/\\z/g, '(?![\\s\\S])');
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    throw new Error(`invalid regular expression ${JSON.stringify(source)}: ${(error as Error).message}`);
  }
}

/** Number of capture groups, like Go's `Regexp.NumSubexp`. */
export function captureGroupCount(regexp: RegExp): number {
  // An alternative that matches the empty string makes every pattern match '', revealing the group count.
  return (new RegExp(`${regexp.source}|`, regexp.flags).exec('') as RegExpExecArray).length - 1;
}
