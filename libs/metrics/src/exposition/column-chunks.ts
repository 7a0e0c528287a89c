// Exposition lines of a family kept in columns, written as bytes: the label texts are already UTF-8 in
// their arena (see label-arena.ts), so each line is the metric name, a copy of those bytes and the value's
// ASCII digits, with no string per line. Each chunk is written into one reused buffer and handed out as a
// string decoded from it (one buffer for all families, see sharedChunk): a fresh buffer per chunk (a thousand 64 KiB buffers for 1M series, freed by
// the collector off the main thread) grew the exporter's RSS by a third over 1,000 scrapes, where strings
// die young on the V8 heap.
import type { ScalarColumns } from '../model';

/** Bytes per chunk: big enough that per-chunk costs vanish, small enough that a chunk's string stays out of V8's large-object space. */
const CHUNK_BYTES = 64 * 1024;
const CLOSE_BRACE = 0x7d;
const SPACE = 0x20;
const NEWLINE = 0x0a;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** How a dialect writes sample values: any float, and what it appends to an integer's digits. */
export interface ValueFormat {
  float: (n: number) => string;
  /** `''` in the text format, `.0` in OpenMetrics (integral values must read as floats there). */
  integerSuffix: string;
}

/** Integers from 0 below this print as their plain digits in both dialects (Go's %g switches at 1e6). */
const PLAIN_INTEGER_LIMIT = 1e6;

/**
 * Writes the lines of series `cursor[0]` on into `chunk` from byte `cursor[1]`, exactly as this module
 * would, as long as each value is an integer in [0, 1e6) and the next line fits in `size` bytes (counting
 * 7 digits for its value); leaves the next series and the chunk's end in `cursor`. `labelled` is `name{`,
 * `bare` is `name ` and `suffix` follows the digits (see ValueFormat). The exporter passes the addon's
 * `writeIntegerLines`, which copies with memcpy what this module copies word by word in JavaScript; lines
 * of other values are always written here.
 */
export type IntegerLineWriter = (
  chunk: Uint8Array,
  size: number,
  labelled: Uint8Array,
  bare: Uint8Array,
  suffix: Uint8Array,
  arena: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  values: Float64Array,
  cursor: Int32Array,
) => void;

export function* columnChunks(name: string, columns: ScalarColumns, format: ValueFormat, integerLines?: IntegerLineWriter): Iterable<string> {
  const { bytes } = columns.labels;
  const lines: ColumnLines = {
    labelled: padded(`${name}{`),
    bare: padded(`${name} `),
    columns,
    arena: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    format,
    suffix: encoder.encode(format.integerSuffix),
    chunk: sharedChunk(),
    integerLines,
    cursor: new Int32Array(2),
  };
  for (let next = 0; next < columns.values.length; ) {
    const { written, end } = fillChunk(lines, next);
    if (written === 0) {
      // A line longer than a chunk (a huge label set): give it a chunk of its own size.
      lines.chunk = withSlack(lineBound(lines, next));
      continue;
    }
    next += written;
    yield decoder.decode(lines.chunk.bytes.subarray(0, end));
  }
}

/** A buffer written through a DataView, `size` bytes plus room for the last word copy to overshoot (see copyWords). */
interface Chunk {
  bytes: Uint8Array;
  view: DataView;
  size: number;
}

let shared: Chunk | undefined;

/**
 * The chunk buffer every family writes into: each fill is decoded into a string before anything else can
 * run, so interleaved scrapes cannot see each other's bytes, and a small family no longer costs a fresh
 * zero-filled 64 KiB (the starter configs' 20 families spent a tenth of their scrape on that).
 */
function sharedChunk(): Chunk {
  shared ??= withSlack(CHUNK_BYTES);
  return shared;
}

function withSlack(size: number): Chunk {
  const bytes = new Uint8Array(size + 4);
  return { bytes, view: new DataView(bytes.buffer), size };
}

/** A text's UTF-8 bytes, and a view that can be read a word at a time past their end (see copyWords). */
interface PaddedText {
  bytes: Uint8Array;
  length: number;
  view: DataView;
}

function padded(text: string): PaddedText {
  const bytes = encoder.encode(text);
  const words = new Uint8Array(bytes.length + 4);
  words.set(bytes);
  return { bytes, length: bytes.length, view: new DataView(words.buffer) };
}

interface ColumnLines {
  /** `name{` and `name `. */
  labelled: PaddedText;
  bare: PaddedText;
  columns: ScalarColumns;
  /** The label arena's bytes. */
  arena: DataView;
  format: ValueFormat;
  suffix: Uint8Array;
  chunk: Chunk;
  integerLines: IntegerLineWriter | undefined;
  /** The series and byte offset passed to and from integerLines. */
  cursor: Int32Array;
}

/** Bytes line `i` may take: its exact length, except that an integer is counted with 7 digits. */
function lineBound(lines: ColumnLines, i: number): number {
  const { starts, ends } = lines.columns.labels;
  const value = lines.columns.values[i] as number;
  const valueBytes = isPlainInteger(value) ? 7 + lines.suffix.length : lines.format.float(value).length;
  return lines.labelled.length + (ends[i] as number) - (starts[i] as number) + 2 + valueBytes + 1;
}

function isPlainInteger(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value < PLAIN_INTEGER_LIMIT;
}

/**
 * Copies `length` bytes 4 at a time, then steps back over the up to 3 bytes the last word wrote too many:
 * what comes next overwrites them. A byte at a time took 3x as long, and set() with the subarray() it needs
 * as long again (a typed-array object per call). Source words past `length` must be readable: the names
 * are padded, and a text at the very end of its arena is copied byte by byte.
 */
function copyWords(to: DataView, at: number, from: DataView, start: number, length: number): number {
  if (start + length + 3 < from.byteLength) {
    for (let b = 0; b < length; b += 4) to.setUint32(at + b, from.getUint32(start + b, true), true);
  } else {
    for (let b = 0; b < length; b++) to.setUint8(at + b, from.getUint8(start + b));
  }
  return at + length;
}

/**
 * Writes lines from `from` into the chunk until the next one might not fit; returns how many and the
 * chunk's end. A plain function with its state in locals: the loop runs once per series, and a
 * generator's closure variables would turn every byte written into a context load and store.
 */
function fillChunk(lines: ColumnLines, from: number): { written: number; end: number } {
  const { labelled, bare, suffix, format, arena, integerLines, cursor } = lines;
  const { bytes: chunk, view, size } = lines.chunk;
  const { starts, ends } = lines.columns.labels;
  const { values } = lines.columns;
  let at = 0;
  let i = from;
  for (; i < values.length; i++) {
    const value = values[i] as number;
    // Counters are mostly small integers: their digits are written straight, without a string.
    const integer = isPlainInteger(value);
    if (integer && integerLines) {
      cursor[0] = i;
      cursor[1] = at;
      integerLines(chunk, size, labelled.bytes, bare.bytes, suffix, lines.columns.labels.bytes, starts, ends, values, cursor);
      at = cursor[1] as number;
      // Nothing written: this line does not fit. Otherwise go on after the run, where a value may need us.
      if (cursor[0] === i) break;
      i = (cursor[0] as number) - 1;
      continue;
    }
    const start = starts[i] as number;
    const end = ends[i] as number;
    const text = integer ? '' : format.float(value);
    if (at + labelled.length + (end - start) + 2 + (integer ? 7 + suffix.length : text.length) + 1 > size) break;
    if (start === end) {
      at = copyWords(view, at, bare.view, 0, bare.length);
    } else {
      at = copyWords(view, at, labelled.view, 0, labelled.length);
      at = copyWords(view, at, arena, start, end - start);
      chunk[at++] = CLOSE_BRACE;
      chunk[at++] = SPACE;
    }
    if (integer) {
      at = writeDigits(chunk, at, value);
      for (let b = 0; b < suffix.length; b++) chunk[at++] = suffix[b] as number;
    } else {
      // Go's float formatting is ASCII: one byte per character.
      for (let c = 0; c < text.length; c++) chunk[at++] = text.charCodeAt(c);
    }
    chunk[at++] = NEWLINE;
  }
  return { written: i - from, end: at };
}

/** The decimal digits of an integer in [0, 1e6), at `at`; returns the offset after them. */
function writeDigits(chunk: Uint8Array, at: number, value: number): number {
  // int32 arithmetic below 1e6; digits are counted first so they can be written in place, left to right.
  let rest = value | 0;
  let count = 1;
  for (let scale = 10; scale <= rest; scale *= 10) count++;
  let end = at + count;
  do {
    const tenth = (rest / 10) | 0;
    chunk[--end] = 0x30 + rest - tenth * 10;
    rest = tenth;
  } while (rest > 0);
  return at + count;
}
