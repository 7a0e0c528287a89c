// Exposition lines of a family kept in columns, written as bytes: the label texts are already UTF-8 in
// their arena (see label-arena.ts), so each line is the metric name, a copy of those bytes and the value's
// ASCII digits, with no string per line. Each chunk is written into one reused buffer and handed out as a
// string decoded from it: a fresh buffer per chunk (a thousand 64 KiB buffers for 1M series, freed by
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

export function* columnChunks(name: string, columns: ScalarColumns, format: ValueFormat): Iterable<string> {
  const labelled = encoder.encode(`${name}{`);
  const bare = encoder.encode(`${name} `);
  const { bytes, starts, ends } = columns.labels;
  const { values } = columns;
  const suffix = encoder.encode(format.integerSuffix);
  const digits = new Uint8Array(8);
  let chunk = new Uint8Array(CHUNK_BYTES);
  let at = 0;
  const flush = () => {
    const text = decoder.decode(chunk.subarray(0, at));
    at = 0;
    return text;
  };
  for (let i = 0; i < values.length; i++) {
    const start = starts[i] as number;
    const end = ends[i] as number;
    const value = values[i] as number;
    // Counters are mostly small integers: their digits are written straight, without a string.
    const integer = Number.isInteger(value) && value >= 0 && value < PLAIN_INTEGER_LIMIT;
    const text = integer ? '' : format.float(value);
    const line = labelled.length + (end - start) + 2 + (integer ? digits.length + suffix.length : text.length) + 1;
    if (at + line > chunk.length) {
      if (at > 0) yield flush();
      if (line > chunk.length) chunk = new Uint8Array(line);
    }
    if (start === end) {
      chunk.set(bare, at);
      at += bare.length;
    } else {
      chunk.set(labelled, at);
      at += labelled.length;
      chunk.set(bytes.subarray(start, end), at);
      at += end - start;
      chunk[at++] = CLOSE_BRACE;
      chunk[at++] = SPACE;
    }
    if (integer) {
      let count = 0;
      // Below 1e6: int32 arithmetic.
      let rest = value | 0;
      do {
        const tenth = (rest / 10) | 0;
        digits[count++] = 0x30 + rest - tenth * 10;
        rest = tenth;
      } while (rest > 0);
      while (count > 0) chunk[at++] = digits[--count] as number;
      for (let b = 0; b < suffix.length; b++) chunk[at++] = suffix[b] as number;
    } else {
      // Go's float formatting is ASCII: one byte per character.
      for (let c = 0; c < text.length; c++) chunk[at++] = text.charCodeAt(c);
    }
    chunk[at++] = NEWLINE;
  }
  if (at > 0) yield flush();
}
