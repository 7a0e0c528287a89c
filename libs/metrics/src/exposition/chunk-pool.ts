// The buffers an exposition is written into, reused from scrape to scrape. A fresh 64 KiB buffer per chunk
// (a thousand for a 1M-series scrape) grew the exporter's RSS by a third over 1,000 scrapes: V8 frees
// ArrayBuffers off the main thread, well after the next scrapes have allocated theirs. A buffer is lent
// with take() and comes back with give() once nothing reads it any more (gzip or the socket has consumed
// its bytes); until then no other writer can take it, so scrapes that interleave never share bytes.

/** Bytes of exposition per chunk: big enough that per-chunk costs vanish and a usual exposition (~10 KB) is one chunk. */
export const CHUNK_BYTES = 64 * 1024;

/** Room past a chunk's end for the last word of a word-wise copy to overshoot (see copyWords in column-chunks.ts). */
export const CHUNK_SLACK = 4;

/** Idle buffers kept: a streamed scrape has two or three in flight, so this serves a few at once. */
const MAX_IDLE = 8;

export class ChunkPool {
  private readonly idle: ArrayBuffer[] = [];

  /** `chunkBytes` other than CHUNK_BYTES only for tests that need chunk boundaries within a few lines. */
  constructor(readonly chunkBytes = CHUNK_BYTES) {}

  /** A buffer of `chunkBytes + CHUNK_SLACK` bytes, the caller's until it is given back; its old bytes are left in it. */
  take(): Uint8Array {
    return new Uint8Array(this.idle.pop() ?? new ArrayBuffer(this.chunkBytes + CHUNK_SLACK));
  }

  /**
   * Takes back the buffer under `chunk` (a chunk of it or the whole). Buffers of another size (a line's
   * own, longer than a chunk) are left to the garbage collector, and so is one given back twice: a second
   * copy in the pool would be lent to two writers at once.
   */
  give(chunk: Uint8Array): void {
    const { buffer } = chunk;
    if (!(buffer instanceof ArrayBuffer) || buffer.byteLength !== this.chunkBytes + CHUNK_SLACK) return;
    if (this.idle.length >= MAX_IDLE || this.idle.includes(buffer)) return;
    this.idle.push(buffer);
  }
}

/** The pool of this thread's expositions. */
export const expositionPool = new ChunkPool();
