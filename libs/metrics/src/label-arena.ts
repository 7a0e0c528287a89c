// Label texts of many series as UTF-8 bytes in one buffer. A million series kept as a million strings cost
// ~56 bytes each and made every full garbage collection walk them (pauses of 100 ms and more); here they
// cost their bytes plus an offset, the collector never looks inside, and the formatter copies the bytes
// straight into the exposition.
import type { LabelArena } from './model';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class LabelArenaBuilder {
  private bytes: Uint8Array;
  private starts: Int32Array;
  private count = 0;
  private end = 0;

  constructor(expectedTexts = 16, expectedBytes = expectedTexts * 32) {
    this.bytes = new Uint8Array(Math.max(64, expectedBytes));
    this.starts = new Int32Array(Math.max(16, expectedTexts + 1));
  }

  get size(): number {
    return this.count;
  }

  /** Appends a text; returns its index. */
  add(text: string): number {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    this.reserve(text.length * 3);
    this.end += encoder.encodeInto(text, this.bytes.subarray(this.end)).written;
    return this.close();
  }

  /** Appends text `index` of `arena`; returns its new index. */
  copy(arena: LabelArena, index: number): number {
    const start = arena.starts[index] as number;
    const end = arena.ends[index] as number;
    this.reserve(end - start);
    for (let i = start; i < end; i++) this.bytes[this.end++] = arena.bytes[i] as number;
    return this.close();
  }

  /**
   * The texts added, over the builder's own buffers (it is not used afterwards). They are not copied to
   * fit: the unused end of a big buffer was never written, and pages never written are not resident, while
   * a copy was a second arena at the memory peak of a first pass (26 MB for a million texts).
   */
  finish(): LabelArena {
    // Texts lie back to back here: each one ends where the next begins.
    const bounds = this.starts.subarray(0, this.count + 1);
    return { bytes: this.bytes.subarray(0, this.end), starts: bounds.subarray(0, this.count), ends: bounds.subarray(1) };
  }

  private reserve(bytes: number): void {
    if (this.end + bytes > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.end + bytes));
      grown.set(this.bytes.subarray(0, this.end));
      this.bytes = grown;
    }
    if (this.count + 2 > this.starts.length) {
      const grown = new Int32Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
  }

  /** Ends the text being written: `starts[count]` is where the next one begins. */
  private close(): number {
    this.starts[++this.count] = this.end;
    return this.count - 1;
  }
}

export const EMPTY_ARENA: LabelArena = { bytes: new Uint8Array(0), starts: new Int32Array(0), ends: new Int32Array(0) };

export function arenaSize(arena: LabelArena): number {
  return arena.starts.length;
}

export function labelTextAt(arena: LabelArena, index: number): string {
  return decoder.decode(arena.bytes.subarray(arena.starts[index] as number, arena.ends[index] as number));
}

/** An arena holding `texts` in order. */
export function labelArenaOf(texts: readonly string[]): LabelArena {
  const builder = new LabelArenaBuilder(texts.length);
  for (const text of texts) builder.add(text);
  return builder.finish();
}
