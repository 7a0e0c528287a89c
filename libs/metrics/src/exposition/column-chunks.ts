// Exposition lines of a family kept in columns, written as bytes: the label texts are already UTF-8 in
// their arena (see label-arena.ts), so each line is the metric name, a copy of those bytes and the value's
// ASCII digits, with no string per line. Lines go whole into the writer's chunks (see chunk-writer.ts).
import type { IntegerLineWriter } from '@ebpf-exporter/map-types';
import type { ScalarColumns } from '../model';
import type { ChunkWriter } from './chunk-writer';

const CLOSE_BRACE = 0x7d;
const SPACE = 0x20;
const NEWLINE = 0x0a;

const encoder = new TextEncoder();

/** How a dialect writes sample values: any float, and what it appends to an integer's digits. */
export interface ValueFormat {
  float: (n: number) => string;
  /** `''` in the text format, `.0` in OpenMetrics (integral values must read as floats there). */
  integerSuffix: string;
}

/** Integers from 0 below this print as their plain digits in both dialects (Go's %g switches at 1e6). */
const PLAIN_INTEGER_LIMIT = 1e6;

/** Writes the family's lines into `writer`, yielding each chunk that fills. */
export function* columnChunks(
  writer: ChunkWriter,
  name: string,
  columns: ScalarColumns,
  format: ValueFormat,
  integerLines?: IntegerLineWriter,
): Generator<Uint8Array, void, undefined> {
  const { bytes } = columns.labels;
  const lines: ColumnLines = {
    labelled: padded(`${name}{`),
    bare: padded(`${name} `),
    columns,
    arena: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    format,
    suffix: encoder.encode(format.integerSuffix),
    integerLines,
    cursor: new Int32Array(2),
  };
  for (let next = 0; next < columns.values.length; ) {
    const written = fillChunk(lines, writer, next);
    next += written;
    if (next === columns.values.length) return;
    // The next line does not fit: on in a new chunk, one of its own when it is longer than a chunk (a huge label set).
    writer.startChunk(written === 0 ? lineBound(lines, next) : 0);
    yield* writer.filled();
  }
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
 * Writes lines from `from` into the writer's chunk until the next one might not fit; returns how many. A
 * plain function with its state in locals: the loop runs once per series, and a generator's closure
 * variables would turn every byte written into a context load and store.
 */
function fillChunk(lines: ColumnLines, writer: ChunkWriter, from: number): number {
  const { labelled, bare, suffix, format, arena, integerLines, cursor } = lines;
  const { bytes: chunk, view, size } = writer;
  const { starts, ends } = lines.columns.labels;
  const { values } = lines.columns;
  let at = writer.at;
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
  writer.at = at;
  return i - from;
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
