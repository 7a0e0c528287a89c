import { pipeline, Writable } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { ChunkPool, expositionChunks, formatText, labelArenaOf, renderLabelPairs, type MetricFamily } from '@ebpf-exporter/metrics';
import { describe, expect, it } from 'vitest';
import { ExpositionStream } from './exposition-stream';

/** ~400 KB of exposition with labels of 1- to 4-byte characters: ~400 chunks of the pools below. */
const families: MetricFamily[] = [
  {
    name: 'ops_total',
    help: 'Ops',
    type: 'counter',
    series: [],
    columns: {
      labelNames: ['op'],
      labels: labelArenaOf(Array.from({ length: 8000 }, (_, i) => renderLabelPairs(['op'], [`ä€😀${String(i).padStart(6, '0')}`]))),
      values: Float64Array.from({ length: 8000 }, (_, i) => (i % 3 === 0 ? i / 7 : i)),
    },
  },
];
const expected = Buffer.from(formatText(families));

/** A pool that remembers which buffers it lent and which it got back. */
class WatchedPool extends ChunkPool {
  readonly out = new Set<ArrayBufferLike>();
  readonly given = new Set<ArrayBufferLike>();
  mostOut = 0;

  constructor(private readonly onGive: (buffer: ArrayBufferLike) => void = () => undefined) {
    super(1024);
  }

  override take(): Uint8Array {
    const bytes = super.take();
    this.out.add(bytes.buffer);
    this.mostOut = Math.max(this.mostOut, this.out.size);
    return bytes;
  }

  override give(chunk: Uint8Array): void {
    this.onGive(chunk.buffer);
    this.out.delete(chunk.buffer);
    this.given.add(chunk.buffer);
    super.give(chunk);
  }
}

/** A destination that takes its time over each write and reads the bytes only then, as a socket does. */
class SlowSink extends Writable {
  readonly holding = new Set<ArrayBufferLike>();
  /** What it held when it broke. */
  readonly heldWhenBroken = new Set<ArrayBufferLike>();
  private readonly received: Buffer[] = [];
  private writes = 0;

  /** `failAt`: the write at which the sink breaks, holding that chunk (a client gone mid-stream). */
  constructor(private readonly failAt = Infinity) {
    super({ highWaterMark: 16 * 1024 });
  }

  get bytes(): Buffer {
    return Buffer.concat(this.received);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.holding.add(chunk.buffer);
    if (++this.writes === this.failAt) {
      for (const buffer of this.holding) this.heldWhenBroken.add(buffer);
      return void setImmediate(() => this.destroy(new Error('client gone')));
    }
    setTimeout(() => {
      this.received.push(Buffer.from(chunk));
      this.holding.delete(chunk.buffer);
      callback();
    }, this.writes % 3);
  }
}

function stream(pool: ChunkPool, sent = { bytes: 0 }): ExpositionStream {
  return new ExpositionStream([], expositionChunks(families, 'text', { pool }), pool, sent);
}

const piped = (...streams: Parameters<typeof pipeline>): Promise<Error | null | undefined> => new Promise((resolve) => pipeline(...streams, resolve));

describe('ExpositionStream', () => {
  it('gives a buffer back only once the destination has consumed its chunk, and all of them at the end', async () => {
    const sinks: SlowSink[] = [];
    const pool = new WatchedPool((buffer) => expect(sinks.some((sink) => sink.holding.has(buffer)), 'given back while held').toBe(false));
    const sent = { bytes: 0 };
    const sink = new SlowSink();
    sinks.push(sink);
    expect(await piped(stream(pool, sent), sink)).toBeFalsy();
    expect(sink.bytes.equals(expected)).toBe(true);
    expect(sent.bytes).toBe(expected.length);
    expect(pool.out.size).toBe(0);
    // Reused as it went: out at once only what the sink buffers (16 KiB: 17 chunks of whole lines), those
    // read ahead (2 KiB) and the one being written, not one buffer per chunk (~400).
    expect(pool.mostOut).toBeLessThanOrEqual(17 + 3 + 1);
  });

  it('keeps the bytes of two interleaved streams apart', async () => {
    const sinks = [new SlowSink(), new SlowSink()];
    const pool = new WatchedPool((buffer) => expect(sinks.some((sink) => sink.holding.has(buffer))).toBe(false));
    await Promise.all(sinks.map((sink) => piped(stream(pool), sink)));
    for (const sink of sinks) expect(sink.bytes.equals(expected)).toBe(true);
    expect(pool.out.size).toBe(0);
  });

  it('feeds gzip without a buffer being reused before zlib has read it', async () => {
    const pool = new WatchedPool();
    const sink = new SlowSink();
    expect(await piped(stream(pool), createGzip({ level: 1 }), createGunzip(), sink)).toBeFalsy();
    expect(sink.bytes.equals(expected)).toBe(true);
    expect(pool.out.size).toBe(0);
  });

  it('never gives back what a destination that broke mid-stream may still hold', async () => {
    const pool = new WatchedPool();
    const sink = new SlowSink(5);
    const error = await piped(stream(pool), sink);
    expect(error?.message).toBe('client gone');
    expect(sink.heldWhenBroken.size).toBeGreaterThan(0);
    for (const held of sink.heldWhenBroken) expect(pool.given.has(held)).toBe(false);
  });
});
