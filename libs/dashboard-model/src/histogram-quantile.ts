// Quantiles from classic (cumulative `le`) buckets, computed exactly as Prometheus's
// `histogram_quantile` does, so the dashboard's local mode draws the same percentile lines that a
// PromQL query over the same data would. histogram-quantile.spec.ts checks it against a real server.

export interface CumulativeBucket {
  /** Inclusive upper bound; the last bucket must be `+Inf`. */
  upperBound: number;
  /** Observations `<= upperBound`. */
  count: number;
}

export function histogramQuantile(q: number, input: readonly CumulativeBucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;

  const buckets = coalesceEqualBounds([...input].sort((a, b) => a.upperBound - b.upperBound));
  if (buckets.length < 2) return Number.NaN;
  const last = buckets[buckets.length - 1] as CumulativeBucket;
  if (last.upperBound !== Number.POSITIVE_INFINITY) return Number.NaN;
  forceMonotonic(buckets);

  const observations = last.count;
  if (observations === 0 || Number.isNaN(observations)) return Number.NaN;
  let rank = q * observations;
  // Prometheus searches only the finite buckets; a rank beyond them lands on the +Inf bucket, for which
  // the best answer is the highest finite bound.
  let index = buckets.findIndex((bucket, i) => i < buckets.length - 1 && bucket.count >= rank);
  if (index === -1) index = buckets.length - 1;
  if (index === buckets.length - 1) return (buckets[buckets.length - 2] as CumulativeBucket).upperBound;

  const bucket = buckets[index] as CumulativeBucket;
  if (index === 0 && bucket.upperBound <= 0) return bucket.upperBound;
  let bucketStart = 0;
  let countInBucket = bucket.count;
  if (index > 0) {
    const previous = buckets[index - 1] as CumulativeBucket;
    bucketStart = previous.upperBound;
    countInBucket -= previous.count;
    rank -= previous.count;
  }
  return bucketStart + (bucket.upperBound - bucketStart) * (rank / countInBucket);
}

/** Series that differ only in labels other than `le` can yield the same bound twice; their counts add up. */
function coalesceEqualBounds(sorted: CumulativeBucket[]): CumulativeBucket[] {
  const result: CumulativeBucket[] = [];
  for (const bucket of sorted) {
    const previous = result[result.length - 1];
    if (previous && previous.upperBound === bucket.upperBound) previous.count += bucket.count;
    else result.push({ ...bucket });
  }
  return result;
}

/**
 * Rates of cumulative buckets scraped at slightly different instants can decrease from one bound to the
 * next; like Prometheus, treat a decrease as "no observations in this bucket".
 */
function forceMonotonic(buckets: CumulativeBucket[]): void {
  let max = Number.NEGATIVE_INFINITY;
  for (const bucket of buckets) {
    if (bucket.count > max) max = bucket.count;
    else if (bucket.count < max) bucket.count = max;
  }
}
