// A static_map can hold a million entries (every cgroup id, every port of a fleet), and the yaml package
// spends about 20 µs and a kilobyte of short-lived objects on each: a 50 MB config took tens of seconds and
// most of its time in the garbage collector. The common shape of such a map, one `key: value` line per
// entry with plain or simply quoted scalars, is read here with one regular expression per line instead,
// and cut out of the text the yaml package parses, leaving one placeholder scalar in its place. Anything
// outside that shape (anchors, flow style, escapes, multi-line or non-ASCII scalars, tabs) is left in the
// text for the yaml package, so the fast path only ever reads what it understands completely.

/** The scalar left where a cut-out static_map was; YamlReader checks each one landed as a mapping value. */
export const STATIC_MAP_PLACEHOLDER = 'ebpf-exporter-static-map';

/** A `static_map:` key line: nothing after the colon but a comment; `- ` when it opens a list item. */
const PARENT_LINE = /( *)((?:- +)*)static_map:(?: +#[^\n\r]*)? *$/my;
/** Blank and comment-only lines may sit anywhere inside a block mapping. */
const BLANK_LINE = / *(?:#[^\n\r]*)?$/my;
const PLAIN_KEY = String.raw`-?[A-Za-z0-9_][A-Za-z0-9_./+-]*`;
const DOUBLE_QUOTED = String.raw`"[\x20\x21\x23-\x5b\x5d-\x7e]*"`;
const SINGLE_QUOTED = String.raw`'[\x20-\x26\x28-\x7e]*'`;
// Printable ASCII, where `:` is only part of the scalar when no space follows it, `#` only when no space
// precedes it, and an inner space only when neither a comment nor the end of the line follows.
const PLAIN_VALUE = String.raw`(?:[A-Za-z0-9_./+()$=~^<;\\]|-(?=[A-Za-z0-9_.]))(?:[\x21\x22\x24-\x39\x3b-\x7e]|:(?=[\x21-\x7e])|(?<=[\x21-\x7e])#| +(?=[\x21\x22\x24-\x7e]))*`;
const ENTRY_LINE = new RegExp(
  String.raw`( +)(${PLAIN_KEY}|${DOUBLE_QUOTED}|${SINGLE_QUOTED}):(?: +(${PLAIN_VALUE}|${DOUBLE_QUOTED}|${SINGLE_QUOTED}))?(?: +#[^\n\r]*)? *$`,
  'my',
);
/** What the core schema reads as null: such a key or value becomes '' (the yaml package path does the same). */
const NULL_SPELLINGS = new Set(['~', 'null', 'Null', 'NULL']);

export interface CutStaticMap {
  /** Offset of the placeholder in the text handed to the yaml package. */
  placeholderOffset: number;
  entries: Map<string, string>;
}

/** A piece of the original text left out of the scanned text: offsets at or past `after` move by `removed`. */
export interface Cut {
  after: number;
  removed: number;
}

export interface ScannedText {
  text: string;
  maps: CutStaticMap[];
  cuts: Cut[];
}

function scalarValue(token: string | undefined): string {
  if (token === undefined || NULL_SPELLINGS.has(token)) return '';
  return token.startsWith('"') || token.startsWith("'") ? token.slice(1, -1) : token;
}

function lineEndOf(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end;
}

/**
 * Whether a match reaches the end of its line: with the m flag `$` also stops before a lone \r or a
 * U+2028, which the yaml package does not end a line at; a \r before the \n (CRLF) is fine.
 */
function matchesLine(text: string, match: RegExpExecArray | null, lineEnd: number): match is RegExpExecArray {
  if (!match) return false;
  const end = match.index + match[0].length;
  return end === lineEnd || (end === lineEnd - 1 && text[end] === '\r');
}

function isBlankLine(text: string, pos: number, lineEnd: number): boolean {
  BLANK_LINE.lastIndex = pos;
  return matchesLine(text, BLANK_LINE.exec(text), lineEnd);
}

interface Run {
  start: number;
  end: number;
  indent: number;
  entries: Map<string, string>;
}

/**
 * The entry lines after a `static_map:` line whose key sits at column `keyColumn`, when all of the mapping
 * has the simple shape: the first line that is no entry must be indented at most as far as the key (the
 * mapping ends there), else the mapping goes on in a shape left to the yaml package.
 */
function scanRun(text: string, from: number, keyColumn: number): Run | undefined {
  const entries = new Map<string, string>();
  let indent = -1;
  let start = -1;
  let end = -1;
  for (let pos = from; pos < text.length; ) {
    const lineEnd = lineEndOf(text, pos);
    ENTRY_LINE.lastIndex = pos;
    const entry = ENTRY_LINE.exec(text);
    const entryIndent = entry?.[1]?.length ?? 0;
    if (matchesLine(text, entry, lineEnd) && entryIndent > keyColumn && (indent === -1 || entryIndent === indent)) {
      if (start === -1) [start, indent] = [pos, entryIndent];
      entries.set(scalarValue(entry[2]), scalarValue(entry[3]));
      end = lineEnd;
    } else if (!isBlankLine(text, pos, lineEnd)) {
      const lineIndent = /^ */.exec(text.slice(pos, Math.min(lineEnd, pos + keyColumn + 2)))?.[0].length ?? 0;
      const endsMapping = lineIndent <= keyColumn && text[pos + lineIndent] !== '\t';
      return endsMapping && start !== -1 ? { start, end, indent, entries } : undefined;
    }
    pos = lineEnd + 1;
  }
  return start === -1 ? undefined : { start, end, indent, entries };
}

/** Cuts every simple static_map out of `text`; returns the text unchanged when there is none. */
export function scanStaticMaps(text: string): ScannedText {
  const parts: string[] = [];
  const maps: CutStaticMap[] = [];
  const cuts: Cut[] = [];
  let copied = 0;
  let scannedLength = 0;
  for (let at = text.indexOf('static_map:'); at !== -1; at = text.indexOf('static_map:', at + 1)) {
    const lineStart = text.lastIndexOf('\n', at) + 1;
    if (lineStart < copied) continue;
    PARENT_LINE.lastIndex = lineStart;
    const parent = PARENT_LINE.exec(text);
    const keyColumn = (parent?.[1]?.length ?? 0) + (parent?.[2]?.length ?? 0);
    if (!matchesLine(text, parent, lineEndOf(text, at)) || lineStart + keyColumn !== at) continue;
    const run = scanRun(text, lineEndOf(text, at) + 1, keyColumn);
    if (!run) continue;
    const replacement = `${' '.repeat(run.indent)}${STATIC_MAP_PLACEHOLDER}`;
    parts.push(text.slice(copied, run.start), replacement);
    scannedLength += run.start - copied;
    maps.push({ placeholderOffset: scannedLength + run.indent, entries: run.entries });
    scannedLength += replacement.length;
    cuts.push({ after: scannedLength, removed: run.end - run.start - replacement.length });
    copied = run.end;
    at = run.end;
  }
  if (maps.length === 0) return { text, maps, cuts };
  parts.push(text.slice(copied));
  return { text: parts.join(''), maps, cuts };
}
