// Native histograms as Prometheus's HTTP API answers them, turned into the cumulative rows a heatmap draws
// from classic `le` buckets. A sample lists only its populated buckets, so the rows come from the buckets
// seen over the whole range, with an exponential schema's empty buckets in between filled in.
import { parseLe, type BucketRateMatrix } from '@ebpf-exporter/dashboard-model';

/** One native histogram sample of a range query; each bucket is `[boundary rule, lower, upper, count]`. */
export interface NativeHistogram {
  count: string;
  buckets?: [number, string, string, string][];
}

interface Bucket {
  lower: number;
  upper: number;
  count: number;
}

/** Beyond this many rows a filled grid (a fine schema over many octaves) is not worth drawing: seen rows only. */
const MAX_FILLED_ROWS = 512;

function bucketsOf(histogram: NativeHistogram): Bucket[] {
  // Custom buckets (NHCB) start at -Inf and end at +Inf, which parseLe reads and Number does not.
  return (histogram.buckets ?? []).map(([, lower, upper, count]) => ({ lower: parseLe(lower), upper: parseLe(upper), count: Number(count) }));
}

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * The rows' upper bounds, ascending, without `+Inf`. Every bucket above zero of one exponential schema
 * grows by the same factor (2 for schema 0) and ends on the grid `first × factor^k`: then the grid's
 * missing bounds are added, the empty buckets the API left out. A bound added where no bucket ends never
 * splits a populated bucket (each spans exactly one grid step), so the cumulative counts stay exact.
 * Custom buckets whose bounds are not such a grid keep the bounds seen. The zero bucket and negative
 * buckets keep their own bounds.
 */
export function nativeBounds(histograms: readonly NativeHistogram[]): number[] {
  const buckets = histograms.flatMap(bucketsOf).filter((bucket) => Number.isFinite(bucket.upper));
  const seen = [...new Set(buckets.map((bucket) => bucket.upper))].sort((a, b) => a - b);
  const positive = buckets.filter((bucket) => bucket.lower > 0);
  const factor = positive[0] ? positive[0].upper / positive[0].lower : Number.NaN;
  if (!(factor > 1)) return seen;
  const first = Math.min(...positive.map((bucket) => bucket.upper));
  const steps = positive.map((bucket) => Math.log(bucket.upper / first) / Math.log(factor));
  const onGrid = positive.every((bucket, i) => near(bucket.upper / bucket.lower, factor) && Math.abs((steps[i] ?? 0) - Math.round(steps[i] ?? 0)) < 1e-6);
  const last = Math.round(Math.max(...steps));
  if (!onGrid || last >= MAX_FILLED_ROWS) return seen;
  // A standard schema's bounds are 2^(j / 2^schema): taken as such they are exact where first × factor^k
  // drifts (2.0000000000000004). Custom bounds on a grid of their own are multiplied out.
  const perOctave = 2 ** Math.round(-Math.log2(Math.log2(factor)));
  const j = Math.round(Math.log2(first) * perOctave);
  const standard = near(factor, 2 ** (1 / perOctave)) && near(first, 2 ** (j / perOctave));
  const at = (k: number) => (standard ? 2 ** ((j + k) / perOctave) : first * factor ** k);
  const grid = Array.from({ length: last + 1 }, (_, k) => seen.find((bound) => near(bound, at(k))) ?? at(k));
  return [...new Set([...seen, ...grid])].sort((a, b) => a - b);
}

/**
 * Cumulative rates by bound from one series' native samples, one slot per step (`null` where the step has
 * no sample), on the given rows; `+Inf` last, from the sample's count as a classic `+Inf` bucket is.
 */
export function nativeBucketMatrix(samples: readonly [number, NativeHistogram][], times: number[], bounds: readonly number[]): BucketRateMatrix {
  const byTime = new Map(samples.map(([time, histogram]) => [time, { count: Number(histogram.count), buckets: bucketsOf(histogram) }]));
  const upperBounds = [...bounds, Number.POSITIVE_INFINITY];
  const cumulativeRates = upperBounds.map((bound) =>
    times.map((time) => {
      const sample = byTime.get(time);
      if (!sample) return null;
      if (bound === Number.POSITIVE_INFINITY) return sample.count;
      return sample.buckets.reduce((total, bucket) => (bucket.upper <= bound ? total + bucket.count : total), 0);
    }),
  );
  return { times, upperBounds, cumulativeRates };
}
