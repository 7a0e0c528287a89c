import { describe, expect, it } from 'vitest';
import type { HistogramBucket } from '../model';
import { nativeBuckets } from './native-histogram';

/** Cumulative buckets from per-bucket counts. */
function cumulative(bounds: number[], counts: number[]): HistogramBucket[] {
  let total = 0;
  return bounds.map((upperBound, i) => ({ upperBound, cumulativeCount: (total += counts[i] ?? 0) }));
}

describe('nativeBuckets', () => {
  it('maps exp2 bounds of a power-of-two multiplier onto schema 0 indexes, one classic bucket to one native bucket', () => {
    // exp2, bucket_min 0, bucket_max 5, multiplier 2^-10: bounds 2^-10 … 2^-5.
    const bounds = [0, 1, 2, 3, 4, 5].map((i) => 2 ** (i - 10));
    const native = nativeBuckets(cumulative(bounds, [1, 2, 0, 0, 5, 3]), 11);
    expect(native).toEqual({
      schema: 0,
      zeroThreshold: 0,
      zeroCount: 0,
      // Buckets -10 and -9, then (two empty ones skipped) -6 and -5.
      spans: [{ offset: -10, length: 2 }, { offset: 2, length: 2 }],
      deltas: [1, 1, 3, -2],
    });
  });

  it('puts an exp2zero first bucket (le=0) into the zero bucket, threshold 0', () => {
    const native = nativeBuckets(cumulative([0, 1, 2, 4], [7, 0, 1, 1]), 9);
    expect(native).toEqual({ schema: 0, zeroThreshold: 0, zeroCount: 7, spans: [{ offset: 1, length: 2 }], deltas: [1, 0] });
  });

  it('gives an empty histogram no spans (the encoder adds the no-op span)', () => {
    expect(nativeBuckets(cumulative([1, 2, 4], [0, 0, 0]), 0)).toEqual({ schema: 0, zeroThreshold: 0, zeroCount: 0, spans: [], deltas: [] });
  });

  it.each([
    ['a multiplier of 1e-6 (biolatency)', [1e-6, 2e-6, 4e-6]],
    ['linear steps', [0, 1, 2, 3]],
    ['a gap between powers of two', [1, 2, 8]],
    ['a zero bound after the first', [1, 0]],
    ['negative bounds', [-2, -1]],
  ])('refuses %s (no exact schema-0 form)', (_what, bounds) => {
    expect(nativeBuckets(cumulative(bounds, bounds.map(() => 1)), bounds.length)).toBeUndefined();
  });

  it('refuses observations above the last bound, which a schema has no bucket for', () => {
    expect(nativeBuckets(cumulative([1, 2], [1, 1]), 3)).toBeUndefined();
    expect(nativeBuckets([...cumulative([1, 2], [1, 1]), { upperBound: Infinity, cumulativeCount: 3 }], 3)).toBeUndefined();
    expect(nativeBuckets([...cumulative([1, 2], [1, 1]), { upperBound: Infinity, cumulativeCount: 2 }], 2)).toBeDefined();
  });
});
