// Summaries of repeated measurements. Percentiles use the nearest-rank method: with 20 samples the p99 is
// the slowest one, which is what a p99 of 20 can honestly say.

export interface Summary {
  samples: number;
  median: number;
  p99: number;
  max: number;
}

function sorted(values: readonly number[]): number[] {
  if (values.length === 0) throw new Error('no samples to summarise');
  return [...values].sort((a, b) => a - b);
}

/** The value at rank ceil(p/100 * n) of the sorted samples (1-based). */
export function percentile(values: readonly number[], p: number): number {
  const ordered = sorted(values);
  const rank = Math.max(1, Math.ceil((p / 100) * ordered.length));
  return ordered[rank - 1] as number;
}

/** The middle sample, or the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  const ordered = sorted(values);
  const middle = ordered.length >> 1;
  return ordered.length % 2 === 1 ? (ordered[middle] as number) : ((ordered[middle - 1] as number) + (ordered[middle] as number)) / 2;
}

export function summarise(values: readonly number[]): Summary {
  return { samples: values.length, median: median(values), p99: percentile(values, 99), max: Math.max(...values) };
}
