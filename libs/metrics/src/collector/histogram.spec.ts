import { describe, expect, it } from 'vitest';
import { DEFAULT_VALUE_FIELD, type HistogramConfig } from '../config/types';
import { checkBucketRange, histogramFromColumns, histogramShape } from './histogram';

/**
 * A histogram from per-bucket counts keyed by bucket index, as a series table holds them in its columns:
 * indexes bucket_min..bucket_max inclusive (or the fixed keys), counts carried forward over missing
 * buckets, other indexes ignored except the sum stored at the last index + 1 (upstream's rules).
 */
function reconstructHistogram(counts: ReadonlyMap<number, number>, config: HistogramConfig) {
  checkBucketRange(config);
  const shape = histogramShape(config);
  const values = new Float64Array(shape.width);
  for (const [index, count] of counts) {
    const column = shape.columnOf(index);
    if (column >= 0) values[column] = (values[column] as number) + count;
  }
  return histogramFromColumns(values, 0, shape);
}

function histogram(overrides: Partial<HistogramConfig>): HistogramConfig {
  return {
    name: 'h',
    help: 'h',
    bucketType: 'exp2',
    bucketMultiplier: 1,
    bucketMin: 0,
    bucketMax: 3,
    bucketKeys: [],
    perCpu: false,
    map: 'h',
    value: DEFAULT_VALUE_FIELD,
    valueGiven: false,
    labels: [],
    position: { line: 1, column: 1 },
    ...overrides,
  };
}

const bounds = (result: ReturnType<typeof reconstructHistogram>): [number, number][] =>
  result.buckets.map((bucket) => [bucket.upperBound, bucket.cumulativeCount]);

describe('reconstructHistogram', () => {
  it('exp2: le = 2^i * multiplier, bucket_max inclusive, missing buckets carried forward', () => {
    const counts = new Map([
      [0, 1],
      [2, 4],
      [3, 2],
      [4, 1000], // the sum key, bucket_max + 1
    ]);
    const result = reconstructHistogram(counts, histogram({ bucketMultiplier: 0.5 }));
    expect(bounds(result)).toEqual([
      [0.5, 1],
      [1, 1],
      [2, 5],
      [4, 7],
    ]);
    expect(result.count).toBe(7);
    expect(result.sum).toBe(500);
  });

  it('ignores indexes outside bucket_min..bucket_max other than the sum key', () => {
    const counts = new Map([
      [1, 100],
      [2, 3],
      [9, 100],
    ]);
    const result = reconstructHistogram(counts, histogram({ bucketMin: 2, bucketMax: 4 }));
    expect(bounds(result)).toEqual([
      [4, 3],
      [8, 3],
      [16, 3],
    ]);
    expect(result.count).toBe(3);
    expect(result.sum).toBe(0);
  });

  it('exp2zero: index 0 is le=0, then 2^(i-1)', () => {
    const counts = new Map([
      [0, 5],
      [1, 1],
      [3, 2],
      [4, 77],
    ]);
    const result = reconstructHistogram(counts, histogram({ bucketType: 'exp2zero' }));
    expect(bounds(result)).toEqual([
      [0, 5],
      [1, 6],
      [2, 6],
      [4, 8],
    ]);
    expect(result.sum).toBe(77);
  });

  it('linear: le = i * multiplier', () => {
    const counts = new Map([
      [0, 1],
      [1, 2],
      [20, 3],
      [21, 500],
    ]);
    const result = reconstructHistogram(counts, histogram({ bucketType: 'linear', bucketMax: 20, bucketMultiplier: 50 }));
    expect(result.buckets).toHaveLength(21);
    expect(bounds(result).slice(0, 3)).toEqual([
      [0, 1],
      [50, 3],
      [100, 3],
    ]);
    expect(bounds(result).at(-1)).toEqual([1000, 6]);
    expect(result.sum).toBe(25000);
  });

  it('fixed: iterates bucket_keys, sum at the last key + 1', () => {
    const counts = new Map([
      [1, 1],
      [5, 2],
      [10, 4],
      [11, 42],
      [3, 100],
    ]);
    const result = reconstructHistogram(counts, histogram({ bucketType: 'fixed', bucketKeys: [1, 5, 10], bucketMultiplier: 0.001 }));
    expect(bounds(result)).toEqual([
      [0.001, 1],
      [0.005, 3],
      [0.01, 7],
    ]);
    expect(result.sum).toBe(0.042);
  });

  it('rejects zero-size buckets like upstream', () => {
    expect(() => reconstructHistogram(new Map(), histogram({ bucketMin: 3, bucketMax: 3 }))).toThrow('histogram buckets have zero size');
  });
});
