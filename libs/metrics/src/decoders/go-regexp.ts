// Configs hold Go (RE2) regular expressions. Their common syntax is the same in JavaScript; we translate the
// few spellings that differ and let anything else fail loudly at config load rather than match differently.
// Patterns compile without the `u` flag: JavaScript's Unicode mode rejects escapes RE2 accepts (`\-`, `\_`).

const LEADING_FLAGS = /^\(\?([imsU]+)\)/;

/** RE2's ASCII classes, valid only inside a bracket expression, as JavaScript class contents. */
const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

function translate(pattern: string): string {
  return pattern
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '(?![\\s\\S])')
    .replace(/\[:(\^?)([a-z]+):\]/g, (whole, negated: string, name: string) => {
      const members = POSIX_CLASSES[name];
      if (members === undefined) throw new Error(`unknown character class ${whole}`);
      if (negated) throw new Error(`negated character class ${whole} is not supported`);
      return members;
    });
}

/** Compiles a Go regular expression into an equivalent JavaScript RegExp, or throws a readable Error. */
export function compileGoRegexp(source: string): RegExp {
  let pattern = source;
  let flags = '';
  const leading = LEADING_FLAGS.exec(pattern);
  if (leading) {
    const goFlags = leading[1] as string;
    if (goFlags.includes('U')) throw new Error(`flag U (ungreedy) is not supported in ${JSON.stringify(source)}`);
    flags += goFlags;
    pattern = pattern.slice(leading[0].length);
  }
  try {
    return new RegExp(translate(pattern), flags);
  } catch (error) {
    throw new Error(`invalid regular expression ${JSON.stringify(source)}: ${(error as Error).message}`);
  }
}

/** Number of capture groups, like Go's `Regexp.NumSubexp`. */
export function captureGroupCount(regexp: RegExp): number {
  // An alternative that matches the empty string makes every pattern match '', revealing the group count.
  return (new RegExp(`${regexp.source}|`, regexp.flags).exec('') as RegExpExecArray).length - 1;
}
