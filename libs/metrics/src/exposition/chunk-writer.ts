// The exposition written straight into pooled chunks: text (headers, histograms, series kept as objects)
// through TextEncoder.encodeInto, column families line by line (column-chunks.ts). A chunk is handed out
// once it is full and is its reader's from then on: the writer takes a new buffer and never touches it again.
import { CHUNK_SLACK, type ChunkPool } from './chunk-pool';

const encoder = new TextEncoder();
const NO_BYTES = new Uint8Array(0);

export class ChunkWriter {
  /** The chunk being written: `[0, at)` is written, up to `size` may be, and CHUNK_SLACK more overwritten. */
  bytes: Uint8Array = NO_BYTES;
  view: DataView = new DataView(NO_BYTES.buffer);
  size = 0;
  at = 0;
  /** Full chunks not handed out yet, oldest first. */
  private readonly full: Uint8Array[] = [];

  constructor(private readonly pool: ChunkPool) {
    this.use(pool.take());
  }

  /**
   * Ends the chunk being written, unless it is empty and has `room` bytes, and goes on in a new one with at
   * least that room: a buffer of its own when more than a chunk (a line longer than a chunk).
   */
  startChunk(room = 0): void {
    if (this.at === 0 && room <= this.size) return;
    this.closeChunk();
    this.use(room > this.pool.chunkBytes ? new Uint8Array(room + CHUNK_SLACK) : this.pool.take());
  }

  /** Writes `text` as UTF-8, going on into new chunks as they fill (encodeInto never splits a character). */
  text(text: string): void {
    let rest = text;
    for (;;) {
      const { read, written } = encoder.encodeInto(rest, this.bytes.subarray(this.at, this.size));
      this.at += written;
      if (read === rest.length) return;
      rest = rest.slice(read);
      this.startChunk();
    }
  }

  /** The chunks that filled since the last call, oldest first: each is the caller's once yielded. */
  *filled(): Generator<Uint8Array, void, undefined> {
    for (let chunk = this.full.shift(); chunk !== undefined; chunk = this.full.shift()) yield chunk;
  }

  /** Ends the last chunk (filled() then yields it); nothing is written after this. */
  finish(): void {
    this.closeChunk();
    this.use(NO_BYTES);
  }

  /** Gives back every buffer not handed out: for a reader that stops before the end. */
  abandon(): void {
    for (const chunk of this.full.splice(0)) this.pool.give(chunk);
    this.pool.give(this.bytes);
    this.use(NO_BYTES);
  }

  /** The chunk being written joins the full ones, or goes back to the pool when nothing was written in it. */
  private closeChunk(): void {
    if (this.at > 0) this.full.push(this.bytes.subarray(0, this.at));
    else this.pool.give(this.bytes);
  }

  private use(bytes: Uint8Array): void {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.size = Math.max(0, bytes.length - CHUNK_SLACK);
    this.at = 0;
  }
}
