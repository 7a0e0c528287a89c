// A classic histogram's buckets as a native histogram of schema 0, where bucket i holds the observations
// in (2^(i-1), 2^i]. That is exactly what an exp2 BPF histogram counts when every upper bound is a power of
// two (a power-of-two bucket_multiplier: 1, 2^-10, ...): bound 2^i × 2^p is native bucket i + p, and the
// counts move over unchanged. A leading bound of 0 (exp2zero's first bucket, linear's bucket 0) is the zero
// bucket with threshold 0. Any other bounds (a multiplier of 1e-6, linear or fixed steps) have no exact
// exponential form: those histograms stay classic (see README: Prometheus turns them into custom-bucket
// native histograms itself, with their bounds unchanged).
import type { HistogramBucket } from '../model';

export interface BucketSpan {
  offset: number;
  length: number;
}

export interface NativeBuckets {
  schema: 0;
  zeroThreshold: 0;
  zeroCount: number;
  /** Runs of populated buckets: the first span's offset is its first index, later ones the gap since the previous span. */
  spans: BucketSpan[];
  /** Each populated bucket's count minus the previous populated bucket's (the first: minus 0). */
  deltas: number[];
}

/** i when `bound` is exactly 2^i, else undefined. */
function exactLog2(bound: number): number | undefined {
  if (!(bound > 0) || !Number.isFinite(bound)) return undefined;
  const exponent = Math.round(Math.log2(bound));
  return 2 ** exponent === bound ? exponent : undefined;
}

/**
 * The schema-0 form of these buckets, or undefined when their bounds are not an optional 0 followed by
 * consecutive powers of two (a gap would put one classic bucket's counts into two native ones), or when
 * observations lie above the last bound (a schema has no +Inf bucket to put them in).
 */
export function nativeBuckets(buckets: readonly HistogramBucket[], count: number): NativeBuckets | undefined {
  let zeroCount = 0;
  let previousCumulative = 0;
  let previousIndex: number | undefined;
  const spans: BucketSpan[] = [];
  const deltas: number[] = [];
  let previousCount = 0;
  let lastPopulated: number | undefined;
  for (let i = 0; i < buckets.length; i++) {
    const { upperBound, cumulativeCount } = buckets[i] as HistogramBucket;
    const inBucket = cumulativeCount - previousCumulative;
    previousCumulative = cumulativeCount;
    if (upperBound === Infinity) {
      if (inBucket !== 0) return undefined;
      continue;
    }
    if (i === 0 && upperBound === 0) {
      zeroCount = inBucket;
      continue;
    }
    const index = exactLog2(upperBound);
    if (index === undefined || (previousIndex !== undefined && index !== previousIndex + 1)) return undefined;
    previousIndex = index;
    if (inBucket === 0) continue;
    const span = spans.at(-1);
    if (span !== undefined && lastPopulated === index - 1) span.length++;
    else spans.push({ offset: lastPopulated === undefined ? index : index - lastPopulated - 1, length: 1 });
    deltas.push(inBucket - previousCount);
    previousCount = inBucket;
    lastPopulated = index;
  }
  if (count !== previousCumulative) return undefined;
  return { schema: 0, zeroThreshold: 0, zeroCount, spans, deltas };
}
