import { expositionChunks, expositionPool, labelArenaOf, renderLabelPairs, type ChunkOptions, type ExpositionFormat, type MetricFamily, type ScalarColumns } from '@ebpf-exporter/metrics';
import { describe, expect, it } from 'vitest';
import { integerLineWriter } from './index.js';

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

// Values the native writer takes (integers in [0, 1e6), -0) and values it must leave to JavaScript.
const VALUES = [0, -0, 7, 42, 999_999, 1e6, 123_456_789, 0.5, -1, Number.NaN, Infinity, -Infinity, 2 ** 53, 1e-7];

function columnFamily(name: string, rows: number, seed: number): MetricFamily {
  const random = randomSource(seed);
  const texts: string[] = [];
  const values = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    // Label texts of every length from none (a metric without labels) to a few hundred bytes, some not ASCII.
    const length = Math.floor(random() * 40);
    const value = length === 0 ? '' : `${'ä€x'.repeat(Math.floor(random() * 3))}${String(i).padStart(length, 'v')}`;
    texts.push(value === '' ? '' : renderLabelPairs(['l'], [value]));
    values[i] = random() < 0.8 ? Math.floor(random() * 1_000_000) : (VALUES[Math.floor(random() * VALUES.length)] as number);
  }
  const columns: ScalarColumns = { labelNames: ['l'], labels: labelArenaOf(texts), values };
  return {
    name,
    help: 'help',
    type: 'counter',
    columns,
    get series(): never {
      throw new Error('the formatter must read the columns');
    },
  } as unknown as MetricFamily;
}

/** The exposition's chunks as strings, their buffers given back. */
function chunkTexts(families: MetricFamily[], format: ExpositionFormat, options: ChunkOptions = {}): string[] {
  const decoder = new TextDecoder();
  return Array.from(expositionChunks(families, format, options), (chunk) => {
    const text = decoder.decode(chunk);
    expositionPool.give(chunk);
    return text;
  });
}

describe('integerLineWriter', () => {
  it('writes exactly what the JavaScript formatter writes, in both formats and across chunks', () => {
    const families = [columnFamily('a_total', 20_000, 1), columnFamily('b_total', 3, 2), columnFamily('c_total', 5_000, 3)];
    const write = integerLineWriter();
    for (const format of ['text', 'openmetrics'] as const) {
      let nativeLines = 0;
      const counting: typeof write = (...args) => {
        const cursor = args[9];
        const from = cursor[0] as number;
        write(...args);
        nativeLines += (cursor[0] as number) - from;
      };
      const native = chunkTexts(families, format, { integerLines: counting });
      const plain = chunkTexts(families, format);
      expect(native.length).toBeGreaterThan(10);
      expect(native.join('')).toBe(plain.join(''));
      // About 80% of the values are small integers: those lines were the native writer's.
      expect(nativeLines).toBeGreaterThan(0.75 * 25_003);
      expect(nativeLines).toBeLessThan(0.95 * 25_003);
    }
  });

  it('refuses label offsets outside the arena instead of reading past it', () => {
    const write = integerLineWriter();
    const chunk = new Uint8Array(1024);
    const bytes = new TextEncoder();
    const call = (starts: number[], ends: number[]) =>
      write(chunk, 1000, bytes.encode('m{'), bytes.encode('m '), new Uint8Array(0), bytes.encode('l="x"'), Int32Array.from(starts), Int32Array.from(ends), Float64Array.of(1), new Int32Array(2));
    expect(() => call([0], [5])).not.toThrow();
    expect(() => call([0], [6])).toThrow(RangeError);
    expect(() => call([3], [2])).toThrow(RangeError);
  });
});
