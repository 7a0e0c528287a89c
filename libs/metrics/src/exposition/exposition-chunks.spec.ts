import { describe, expect, it } from 'vitest';
import { labelArenaOf } from '../label-arena';
import type { MetricFamily } from '../model';
import { CHUNK_BYTES, CHUNK_SLACK, ChunkPool } from './chunk-pool';
import { ChunkWriter } from './chunk-writer';
import { columnChunks } from './column-chunks';
import { renderLabelPairs } from './escape';
import { expositionChunks, formatOpenMetrics, formatText, type ExpositionFormat } from './text-format';

const strict = new TextDecoder('utf-8', { fatal: true });

/** A pool that counts what it lends, so a test can tell a buffer kept from one given back. */
class CountingPool extends ChunkPool {
  readonly lent = new Set<ArrayBufferLike>();

  override take(): Uint8Array {
    const bytes = super.take();
    expect(this.lent.has(bytes.buffer), 'a buffer lent twice').toBe(false);
    this.lent.add(bytes.buffer);
    return bytes;
  }

  override give(chunk: Uint8Array): void {
    this.lent.delete(chunk.buffer);
    super.give(chunk);
  }
}

/** The chunks as strings, each decoded on its own (which fails on a character split between two), given back. */
function chunkTexts(chunks: Iterable<Uint8Array>, pool: ChunkPool): string[] {
  const texts: string[] = [];
  for (const chunk of chunks) {
    texts.push(strict.decode(chunk));
    pool.give(chunk);
  }
  return texts;
}

/** The lines of a gauge kept in columns, written by columnChunks alone (no header) into chunks of `chunkBytes`. */
function columnTexts(chunkBytes: number, rows: [string, number][]): string[] {
  const pool = new CountingPool(chunkBytes);
  const writer = new ChunkWriter(pool);
  const columns = { labelNames: ['l'], labels: labelArenaOf(rows.map(([text]) => text)), values: Float64Array.from(rows, ([, value]) => value) };
  const chunks = [...columnChunks(writer, 'm', columns, { float: String, integerSuffix: '' })];
  writer.finish();
  return chunkTexts([...chunks, ...writer.filled()], pool);
}

/** `l="…"` of `length` bytes. */
const label = (length: number, fill = 'x'): string => `l="${fill.repeat(length - 4)}"`;

describe('column lines in chunks', () => {
  // A line is `m{` + label + `} ` + value + newline: the label's bytes plus 8 with a 3-byte value.
  it('fills a chunk exactly, and starts a new one for a line one byte over', () => {
    expect(columnTexts(64, [[label(24), 0.5], [label(24), 0.5], [label(24), 0.5]])).toEqual([
      `m{${label(24)}} 0.5\nm{${label(24)}} 0.5\n`,
      `m{${label(24)}} 0.5\n`,
    ]);
    expect(columnTexts(64, [[label(24), 0.5], [label(25), 0.5]])).toEqual([`m{${label(24)}} 0.5\n`, `m{${label(25)}} 0.5\n`]);
  });

  it('counts 7 digits for an integer value, so a short one never overruns the chunk', () => {
    // 24 + 8 - 3 + 1 digit = 30 bytes written, but counted as 36: the second line does not fit in 64.
    expect(columnTexts(64, [[label(24), 1], [label(24), 2]])).toEqual([`m{${label(24)}} 1\n`, `m{${label(24)}} 2\n`]);
  });

  it('gives a line longer than a chunk a chunk of its own, and that buffer never goes to the pool', () => {
    const pool = new ChunkPool(64);
    const writer = new ChunkWriter(pool);
    const columns = { labelNames: ['l'], labels: labelArenaOf([label(8), label(200), label(8)]), values: Float64Array.of(0.5, 0.5, 0.5) };
    const chunks = [...columnChunks(writer, 'm', columns, { float: String, integerSuffix: '' })];
    writer.finish();
    chunks.push(...writer.filled());
    expect(chunks.map((chunk) => strict.decode(chunk))).toEqual([`m{${label(8)}} 0.5\n`, `m{${label(200)}} 0.5\n`, `m{${label(8)}} 0.5\n`]);
    const own = chunks[1] as Uint8Array;
    expect(own.buffer.byteLength).toBe(208 + CHUNK_SLACK);
    pool.give(own);
    expect(pool.take().buffer).not.toBe(own.buffer);
  });

  it('moves a line whose multi-byte labels would straddle the chunk end whole into the next chunk', () => {
    // 'ä€' is 5 bytes: after the first line the second would end 5 bytes past the chunk, inside its characters.
    const rows: [string, number][] = [[label(24), 0.5], [`l="${'ä€'.repeat(5)}"`, 0.5]];
    expect(columnTexts(64, rows)).toEqual([`m{${label(24)}} 0.5\n`, `m{l="${'ä€'.repeat(5)}"} 0.5\n`]);
  });
});

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

// Values written as digits and values that need Go's float formatting, in both dialects.
const VALUES = [0, -0, 7, 999_999, 1e6, 123_456_789, 0.5, 0.1, -1, 1e-7, 1e21, 2 ** 53, Number.NaN, Infinity, -Infinity, 1.5e300];

function labelTexts(count: number, random: () => number): string[] {
  // Label values of every length from none to a few hundred bytes, some with 2-, 3- and 4-byte characters.
  return Array.from({ length: count }, (_, i) => {
    const length = Math.floor(random() * 60);
    return length === 0 ? '' : renderLabelPairs(['l'], [`${'ä€😀'.slice(0, Math.floor(random() * 4))}${String(i).padStart(length, 'v')}`]);
  });
}

function randomFamilies(seed: number): MetricFamily[] {
  const random = randomSource(seed);
  const value = (): number => (random() < 0.5 ? Math.floor(random() * 1_000_000) : (VALUES[Math.floor(random() * VALUES.length)] as number));
  const count = 1 + Math.floor(random() * 300);
  const texts = [...new Set(labelTexts(count, random))];
  const columns: MetricFamily = {
    name: 'columns_total',
    help: 'kept in columns',
    type: 'counter',
    series: [],
    columns: { labelNames: ['l'], labels: labelArenaOf(texts), values: Float64Array.from(texts, value) },
  };
  const objects: MetricFamily = {
    name: 'objects',
    help: 'kept as objects, ä€',
    type: 'gauge',
    series: Array.from({ length: count }, (_, i) => ({ labelNames: ['i', 'u'], labelValues: [String(i), '€😀'.repeat(i % 4)], value: value() })),
  };
  const histogram: MetricFamily = {
    name: 'latency_seconds',
    help: 'a histogram',
    type: 'histogram',
    series: Array.from({ length: 1 + Math.floor(random() * 20) }, (_, i) => ({
      labelNames: ['h'],
      labelValues: [`ä${i}`],
      buckets: [0.001, 0.5, 2].map((upperBound, b) => ({ upperBound, cumulativeCount: b + i })),
      sum: value(),
      count: 3 + i,
    })),
  };
  return [columns, objects, histogram];
}

const whole: Record<ExpositionFormat, (families: readonly MetricFamily[]) => string> = { text: formatText, openmetrics: formatOpenMetrics };

describe('expositionChunks', () => {
  it('writes the same text in chunks of any size, each chunk whole characters, in both formats', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const families = randomFamilies(seed);
      const chunkBytes = 16 + ((seed * 37) % 300);
      for (const format of ['text', 'openmetrics'] as const) {
        const pool = new CountingPool(chunkBytes);
        const texts = chunkTexts(expositionChunks(families, format, { pool }), pool);
        expect(texts.length).toBeGreaterThan(1);
        expect(texts.join(''), `seed ${seed}, ${chunkBytes}-byte chunks, ${format}`).toBe(whole[format](families));
        expect(pool.lent.size, 'every buffer given back').toBe(0);
      }
    }
  });

  it('never lends a buffer that a reader still holds: chunks of interleaved expositions are distinct, their bytes intact', () => {
    const pool = new CountingPool(256);
    const families = randomFamilies(7);
    const expected = formatText(families);
    const first = expositionChunks(families, 'text', { pool });
    const second = expositionChunks(families, 'text', { pool });
    const held: Uint8Array[][] = [[], []];
    // Pulled in turn and nothing given back until both are done: every chunk in its own buffer.
    for (let done = 0; done < 2; ) {
      done = 0;
      for (const [i, chunks] of [first, second].entries()) {
        const next = chunks.next();
        if (next.done) done++;
        else held[i]?.push(next.value);
      }
    }
    const buffers = held.flat().map((chunk) => chunk.buffer);
    expect(new Set(buffers).size).toBe(buffers.length);
    for (const chunks of held) expect(chunks.map((chunk) => strict.decode(chunk)).join('')).toBe(expected);
    // Given back, the buffers are lent again.
    for (const chunk of held.flat()) pool.give(chunk);
    expect(buffers).toContain(pool.take().buffer);
  });

  it('takes a given-back buffer again, ignores a second give of it, and gets back what a reader that stops early leaves', () => {
    const pool = new CountingPool(64);
    const bytes = pool.take();
    pool.give(bytes);
    pool.give(bytes);
    expect(pool.take().buffer).toBe(bytes.buffer);
    expect(pool.take().buffer).not.toBe(bytes.buffer);

    const early = new CountingPool(64);
    const chunks = expositionChunks(randomFamilies(3), 'openmetrics', { pool: early });
    expect(chunks.next().done).toBe(false);
    chunks.return();
    // The first chunk is the reader's; the writer's own buffers are back.
    expect(early.lent.size).toBe(1);
  });

  it('writes a usual exposition as one chunk of the shared pool size', () => {
    const pool = new CountingPool();
    const chunks = [...expositionChunks(randomFamilies(5), 'text', { pool })];
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.buffer.byteLength).toBe(CHUNK_BYTES + CHUNK_SLACK);
  });
});
