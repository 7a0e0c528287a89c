// A histogram whose buckets cannot hold data is refused at load: upstream exposes nothing useful for it
// (only +Inf 0, or an error at every scrape) and nobody notices until the data is needed.
import type { BucketType } from './types';

/**
 * The most buckets one histogram may have. Each bucket is a series per label set and the collector walks
 * every index on each scrape, so `bucket_max: 1000000` would stall scrapes and flood Prometheus; and no
 * bucket type needs more: exp2 indexes are log2 of a u64 (at most 65 buckets) and 2^1024 overflows a double.
 */
export const MAX_BUCKETS = 1024;

export interface BucketSettings {
  bucketType: BucketType;
  bucketMin: number;
  bucketMax: number;
  bucketKeys: readonly number[];
  /** As written in the file: 0 means 1. */
  bucketMultiplier: number;
}

/** A problem with one histogram field: `key` is the YAML key, `index` an item of bucket_keys. */
export interface BucketProblem {
  key: 'bucket_min' | 'bucket_max' | 'bucket_keys' | 'bucket_multiplier';
  index?: number;
  problem: string;
}

const INDEXED_BOUNDS: Record<Exclude<BucketType, 'fixed'>, (index: number, multiplier: number) => number> = {
  exp2: (index, multiplier) => 2 ** index * multiplier,
  exp2zero: (index, multiplier) => (index === 0 ? 0 : 2 ** (index - 1) * multiplier),
  linear: (index, multiplier) => index * multiplier,
};

function rangeProblem({ bucketMin, bucketMax }: BucketSettings): BucketProblem | undefined {
  if (bucketMax < bucketMin) return { key: 'bucket_max', problem: `must not be less than bucket_min (${bucketMin}): no bucket could hold data` };
  if (bucketMax === bucketMin) return { key: 'bucket_max', problem: 'must differ from bucket_min (histogram buckets have zero size)' };
  const count = bucketMax - bucketMin + 1;
  if (count > MAX_BUCKETS) return { key: 'bucket_max', problem: `makes ${count} buckets from bucket_min ${bucketMin}; at most ${MAX_BUCKETS} are allowed` };
  return undefined;
}

function keysProblem({ bucketKeys }: BucketSettings): BucketProblem | undefined {
  if (bucketKeys.length === 0) return { key: 'bucket_keys', problem: 'bucket_type fixed needs a non-empty list of bucket_keys' };
  if (bucketKeys.length > MAX_BUCKETS) return { key: 'bucket_keys', problem: `has ${bucketKeys.length} keys; at most ${MAX_BUCKETS} are allowed` };
  for (const [index, key] of bucketKeys.entries()) {
    if (!Number.isFinite(key)) return { key: 'bucket_keys', index, problem: 'must be a finite number' };
    const previous = bucketKeys[index - 1];
    if (previous === undefined || key > previous) continue;
    // Upstream counts a repeated key's bucket twice and mixes up the cumulative counts of unordered keys.
    const problem = key === previous ? `repeats bucket key ${key}` : `must be greater than the key before it (${previous}): bucket keys must increase`;
    return { key: 'bucket_keys', index, problem };
  }
  return undefined;
}

/** Upper bounds that overflow to +Inf or round onto their neighbour would merge or lose buckets. */
function boundsProblem(settings: BucketSettings, multiplier: number): BucketProblem | undefined {
  const { bucketType } = settings;
  const bounds =
    bucketType === 'fixed'
      ? settings.bucketKeys.map((key) => key * multiplier)
      : Array.from({ length: settings.bucketMax - settings.bucketMin + 1 }, (_, offset) => INDEXED_BOUNDS[bucketType](settings.bucketMin + offset, multiplier));
  for (const [position, bound] of bounds.entries()) {
    const previous = bounds[position - 1];
    if (Number.isFinite(bound) && (previous === undefined || bound > previous)) continue;
    const bucket = bucketType === 'fixed' ? `bucket key ${settings.bucketKeys[position]}` : `bucket ${settings.bucketMin + position}`;
    const problem = `${bucket} would have the upper bound ${bound}${previous === undefined ? '' : `, after ${previous}`}: upper bounds must be finite and increasing`;
    if (bucketType === 'fixed') return { key: 'bucket_keys', index: position, problem };
    return { key: Number.isFinite(bound) ? 'bucket_min' : 'bucket_max', problem };
  }
  return undefined;
}

/** The first reason the histogram's buckets could not hold data, or undefined. */
export function bucketProblem(settings: BucketSettings): BucketProblem | undefined {
  const { bucketMultiplier } = settings;
  if (!Number.isFinite(bucketMultiplier) || bucketMultiplier < 0) {
    return { key: 'bucket_multiplier', problem: `must be a positive finite number (0 or absent means 1), not ${bucketMultiplier}` };
  }
  const problem = settings.bucketType === 'fixed' ? keysProblem(settings) : rangeProblem(settings);
  return problem ?? boundsProblem(settings, bucketMultiplier === 0 ? 1 : bucketMultiplier);
}
