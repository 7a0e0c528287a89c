import type { HistogramConfig } from '../config/types';
import type { HistogramBucket } from '../model';

export interface ReconstructedHistogram {
  buckets: HistogramBucket[];
  sum: number;
  count: number;
}

/** The `le` of bucket index `i`, or for `fixed` of bucket key `i`. */
function upperBound(config: HistogramConfig, i: number): number {
  const multiplier = config.bucketMultiplier;
  switch (config.bucketType) {
    case 'exp2':
      return 2 ** i * multiplier;
    case 'exp2zero':
      return i === 0 ? 0 : 2 ** (i - 1) * multiplier;
    case 'linear':
    case 'fixed':
      return i * multiplier;
  }
}

function bucketIndexes(config: HistogramConfig): readonly number[] {
  if (config.bucketType === 'fixed') return config.bucketKeys;
  const indexes: number[] = [];
  for (let i = config.bucketMin; i <= config.bucketMax; i++) indexes.push(i);
  return indexes;
}

/**
 * How a histogram's map values become its buckets, worked out once per metric: each distinct bucket index
 * read (bucket_min..bucket_max, or the fixed keys) and the sum's index get a value column of the series
 * table; the exposed buckets are the distinct upper bounds, sorted, each the cumulative count up to the last
 * index that has it (upstream hands a float-keyed map to client_golang: a repeated bound keeps its last
 * count, and a repeated fixed key is counted twice). Other indexes are ignored.
 */
export interface HistogramShape {
  /** Value columns per series. */
  width: number;
  /** The column of a bucket index, or -1 for one the histogram ignores. */
  columnOf(bucketIndex: number): number;
  /** The column of each index in configured order, for the cumulative counts. */
  positions: Int32Array;
  sumColumn: number;
  upperBounds: Float64Array;
  /** Per upper bound: the last position (in `positions`) whose bound it is. */
  lastPositionOfBound: Int32Array;
  multiplier: number;
}

export function histogramShape(config: HistogramConfig): HistogramShape {
  const indexes = bucketIndexes(config);
  const columns = new Map<number, number>();
  for (const index of indexes) if (!columns.has(index)) columns.set(index, columns.size);
  // The sum: upstream's key after the last bucket, or (`sum`) a field of the bucket entries, in a column of its own.
  const sumIndex = (config.bucketType === 'fixed' ? (indexes[indexes.length - 1] as number) : config.bucketMax) + 1;
  if (!config.sum && !columns.has(sumIndex)) columns.set(sumIndex, columns.size);
  const sumColumn = config.sum ? columns.size : (columns.get(sumIndex) as number);
  const lastPosition = new Map<number, number>();
  indexes.forEach((index, position) => lastPosition.set(upperBound(config, index), position));
  const bounds = [...lastPosition.keys()].sort((a, b) => a - b);
  return {
    width: config.sum ? columns.size + 1 : columns.size,
    columnOf: (bucketIndex) => columns.get(bucketIndex) ?? -1,
    positions: Int32Array.from(indexes, (index) => columns.get(index) as number),
    sumColumn,
    upperBounds: Float64Array.from(bounds),
    lastPositionOfBound: Int32Array.from(bounds, (bound) => lastPosition.get(bound) as number),
    multiplier: config.bucketMultiplier,
  };
}

/** Upstream refuses to expose a histogram whose range holds one index, at every scrape. */
export function checkBucketRange(config: HistogramConfig): void {
  if (config.bucketType !== 'fixed' && config.bucketMax === config.bucketMin) throw new Error('histogram buckets have zero size');
}

/** The histogram of one series from its `shape.width` values at `offset` (a series table's columns). */
export function histogramFromColumns(values: Float64Array, offset: number, shape: HistogramShape): ReconstructedHistogram {
  const { positions, upperBounds, lastPositionOfBound } = shape;
  const cumulativeAt = new Float64Array(positions.length);
  let cumulative = 0;
  for (let p = 0; p < positions.length; p++) cumulativeAt[p] = cumulative += values[offset + (positions[p] as number)] as number;
  const buckets: HistogramBucket[] = [];
  for (let k = 0; k < upperBounds.length; k++) {
    buckets.push({ upperBound: upperBounds[k] as number, cumulativeCount: cumulativeAt[lastPositionOfBound[k] as number] as number });
  }
  return { buckets, sum: (values[offset + shape.sumColumn] as number) * shape.multiplier, count: cumulative };
}
