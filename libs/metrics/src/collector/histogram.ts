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
 * Rebuilds a Prometheus histogram from per-bucket counts keyed by bucket index, exactly as upstream:
 * indexes bucket_min..bucket_max inclusive (or the fixed keys), counts carried forward over missing
 * buckets, other indexes ignored except the sum stored at the last index + 1.
 */
export function reconstructHistogram(counts: ReadonlyMap<number, number>, config: HistogramConfig): ReconstructedHistogram {
  if (config.bucketType !== 'fixed' && config.bucketMax === config.bucketMin) {
    throw new Error('histogram buckets have zero size');
  }
  const indexes = bucketIndexes(config);
  // Keyed by upper bound and sorted afterwards, as upstream hands a float-keyed map to client_golang.
  const cumulativeByBound = new Map<number, number>();
  let cumulative = 0;
  for (const index of indexes) {
    cumulative += counts.get(index) ?? 0;
    cumulativeByBound.set(upperBound(config, index), cumulative);
  }
  const sumIndex = (config.bucketType === 'fixed' ? (indexes[indexes.length - 1] as number) : config.bucketMax) + 1;
  return {
    buckets: [...cumulativeByBound]
      .sort(([a], [b]) => a - b)
      .map(([bound, count]) => ({ upperBound: bound, cumulativeCount: count })),
    sum: (counts.get(sumIndex) ?? 0) * config.bucketMultiplier,
    count: cumulative,
  };
}
