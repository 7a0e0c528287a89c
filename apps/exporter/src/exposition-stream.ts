// A large exposition streamed from pooled chunks (see expositionChunks): each chunk goes to the socket, or
// to @fastify/compress's gzip, as the pool's own bytes, and its buffer goes back to the pool once the
// stream's destination has consumed it, not when it is handed on. Whoever pipes this stream (Fastify, or
// compress's pipeline) writes every chunk to the destination as it reads it, and a destination counts
// what it has been written and not yet consumed (writableLength: a gzip transform until zlib has taken
// the input, a response until the socket has written it): whatever was handed on before those bytes is
// done with. Buffers of a stream that ends early (a client gone mid-stream) are not given back at all:
// zlib may still be reading one on its thread pool, so they are left to the garbage collector.
import { finished, Readable, type Writable } from 'node:stream';
import { threadSlicer, type ChunkPool } from '@ebpf-exporter/metrics';

/** A chunk handed on, and how many bytes the stream had handed on once it was. */
interface HandedChunk {
  chunk: Uint8Array;
  end: number;
}

export class ExpositionStream extends Readable {
  private readonly handed: HandedChunk[] = [];
  private pushed = 0;
  private destination: Writable | undefined;

  /** `head` are chunks already taken from `rest`; `sent.bytes` counts what is handed on. */
  constructor(
    private readonly head: Uint8Array[],
    private readonly rest: Iterator<Uint8Array>,
    private readonly pool: ChunkPool,
    private readonly sent: { bytes: number },
  ) {
    // Two chunks read ahead: the next one is written while gzip compresses this one on the thread pool.
    super({ highWaterMark: 2 * pool.chunkBytes });
  }

  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    const writable = destination as unknown as Writable;
    this.destination = writable;
    // Finished: everything written to it is consumed. Closed early: see the file's comment.
    finished(writable, { readable: false }, (error) => (error ? this.handed.splice(0) : this.reclaim(Infinity)));
    return super.pipe(destination, options);
  }

  override _read(): void {
    void this.produce();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Chunks never handed on are nobody else's: back to the pool, and the generator gives back its own.
    for (const chunk of this.head.splice(0)) this.pool.give(chunk);
    this.rest.return?.();
    callback(error);
  }

  /** One chunk, once the thread's time slice allows (see threadSlicer): a 1M-series scrape must not hold every other request. */
  private async produce(): Promise<void> {
    this.reclaim(this.consumed());
    await threadSlicer.pause();
    if (this.destroyed) return;
    const chunk = this.head.shift() ?? this.next();
    if (chunk === undefined) {
      this.push(null);
      return;
    }
    this.pushed += chunk.length;
    this.sent.bytes += chunk.length;
    this.handed.push({ chunk, end: this.pushed });
    this.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }

  private next(): Uint8Array | undefined {
    const next = this.rest.next();
    return next.done ? undefined : next.value;
  }

  /** Bytes handed on that the destination has consumed; 0 while unknown (not piped, or a destination that does not count). */
  private consumed(): number {
    const pending = this.destination?.writableLength;
    if (pending === undefined || !Number.isFinite(pending)) return 0;
    return this.pushed - this.readableLength - pending;
  }

  /** Gives back the buffers of the chunks handed on within the first `bytes` bytes. */
  private reclaim(bytes: number): void {
    while (this.handed.length > 0 && (this.handed[0] as HandedChunk).end <= bytes) this.pool.give((this.handed.shift() as HandedChunk).chunk);
  }
}
