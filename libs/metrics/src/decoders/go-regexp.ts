// Configs hold Go regular expressions, and upstream matches them with Go's `regexp`: RE2 syntax, and time
// linear in the input. JavaScript's RegExp is neither (a backtracking engine: `(a+)+$` on a cgroup named
// 27 `a`s and a `b` held the exporter for 90 minutes, and `\pL`, `\Q…\E` or `[]a]` meant something else).
// So patterns are compiled by re2js, a maintained pure-JavaScript port of RE2/J: the same parser and
// automata as Go's package (RE2/J was ported from it), linear-time matching, and no native code, so
// libs/metrics stays isomorphic. It works on JavaScript strings by code point, as Go works on UTF-8.
import { RE2JS } from 're2js';

/** A compiled Go regular expression. */
export interface GoRegexp {
  /** The pattern as written in the config. */
  readonly source: string;
  /** Capture groups, like Go's `Regexp.NumSubexp`. */
  readonly groupCount: number;
  /** Leftmost-first match, like Go's `FindStringSubmatch`: the whole match then each group (null when it did not take part), or null. */
  find(text: string): (string | null)[] | null;
  /** Whether the pattern matches anywhere in `text`, like Go's `MatchString`. */
  test(text: string): boolean;
}

/** Compiles a Go regular expression, or throws an Error worded like Go's for what Go rejects. */
export function compileGoRegexp(source: string): GoRegexp {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source);
  } catch (error) {
    throw new Error(`invalid regular expression ${JSON.stringify(source)}: ${(error as Error).message}`);
  }
  const groupCount = compiled.groupCount();
  return {
    source,
    groupCount,
    find(text) {
      const matcher = compiled.matcher(text);
      if (!matcher.find()) return null;
      const groups: (string | null)[] = [];
      for (let group = 0; group <= groupCount; group++) groups.push(matcher.group(group));
      return groups;
    },
    test(text) {
      return compiled.matcher(text).find();
    },
  };
}
