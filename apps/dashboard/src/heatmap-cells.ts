// From cumulative bucket rates to the cells a heatmap draws: per-bucket values per instant, the Y extent
// of each bucket on the chosen axis, and the colour intensity of each cell.
import { deaccumulate, histogramQuantile, type BucketRateMatrix } from '@ebpf-exporter/dashboard-model';

export type ColorMode = 'count' | 'percent';

export interface HeatmapCells {
  times: number[];
  /** Y extent of each bucket as drawn: a log axis cannot show 0 or +Inf, so those get a neighbour's octave. */
  lower: number[];
  upper: number[];
  /** Upper bounds as Prometheus names them, for the tooltip. */
  upperBounds: number[];
  /** `[bucket][time]` per-bucket rates, `null` where unknown. */
  values: (number | null)[][];
  /** `[bucket][time]` in 0..1: share of the largest cell (count) or of the instant's total (percent). */
  intensity: number[][];
}

/**
 * `largest` is the cell that colours fully in count mode: the matrix's own largest by default; heatmaps
 * drawn side by side (one per CPU) share the largest of them all, so one colour is one rate in each.
 */
export function heatmapCells(
  matrix: BucketRateMatrix,
  yScale: 'log2' | 'linear',
  colorMode: ColorMode,
  largest: number = largestCell(matrix),
): HeatmapCells {
  const { times, upperBounds } = matrix;
  const columns = perBucketColumns(matrix);
  const values = upperBounds.map((_, b) => columns.map((column) => column[b] ?? null));
  const { lower, upper } = bucketExtents(upperBounds, yScale);
  const columnTotals = columns.map((column) => column.reduce<number>((sum, v) => sum + (v ?? 0), 0));
  const intensity = values.map((row) =>
    row.map((v, t) => {
      const denominator = colorMode === 'percent' ? (columnTotals[t] ?? 0) : largest;
      return v === null || denominator === 0 ? 0 : v / denominator;
    }),
  );
  return { times, lower, upper, upperBounds, values, intensity };
}

/** The largest per-bucket rate of the matrix, 0 when it has none. */
export function largestCell(matrix: BucketRateMatrix): number {
  return Math.max(0, ...perBucketColumns(matrix).flat().map((v) => v ?? 0));
}

/** `[time][bucket]` per-bucket rates of each instant. */
function perBucketColumns(matrix: BucketRateMatrix): (number | null)[][] {
  return matrix.times.map((_, t) => deaccumulate(matrix.cumulativeRates.map((bucket) => bucket[t] ?? null)));
}

function bucketExtents(upperBounds: readonly number[], yScale: 'log2' | 'linear'): { lower: number[]; upper: number[] } {
  const finite = upperBounds.filter((b) => Number.isFinite(b));
  const smallestPositive = finite.find((b) => b > 0) ?? 1;
  const largestFinite = finite[finite.length - 1] ?? 1;
  const linearWidth = finite.length >= 2 ? (finite[finite.length - 1] as number) - (finite[finite.length - 2] as number) : 1;
  const upper = upperBounds.map((bound) => {
    if (bound === Number.POSITIVE_INFINITY) return yScale === 'log2' ? largestFinite * 2 : largestFinite + linearWidth;
    if (yScale === 'log2' && bound <= 0) return smallestPositive / 2;
    return bound;
  });
  const lower = upper.map((bound, i) => {
    if (i > 0) return upper[i - 1] as number;
    return yScale === 'log2' ? bound / 2 : bound - linearWidth;
  });
  return { lower, upper };
}

/** Shown before any bucket exists; positive, because a log axis cannot start at zero. */
export const EMPTY_RANGE: [number, number] = [1, 2];

/** Y range covering the buckets that hold anything, so a 28-octave histogram does not squash its data. */
export function occupiedRange(cells: HeatmapCells): [number, number] {
  if (cells.upperBounds.length === 0) return EMPTY_RANGE;
  const occupied = cells.values.map((row) => row.some((v) => v !== null && v > 0));
  const first = occupied.indexOf(true);
  const last = occupied.lastIndexOf(true);
  if (first === -1) return [cells.lower[0] as number, cells.upper[cells.upper.length - 1] as number];
  return [cells.lower[first] as number, cells.upper[last] as number];
}

/** Percentile lines from the same buckets, used when the history (not Prometheus) answers. */
export function quantileLines(matrix: BucketRateMatrix, quantiles: readonly number[]): (number | null)[][] {
  return quantiles.map((q) =>
    matrix.times.map((_, t) => {
      const buckets = matrix.upperBounds.map((upperBound, b) => ({ upperBound, count: matrix.cumulativeRates[b]?.[t] ?? Number.NaN }));
      if (buckets.some((bucket) => Number.isNaN(bucket.count))) return null;
      const value = histogramQuantile(q, buckets);
      return Number.isFinite(value) ? value : null;
    }),
  );
}

/**
 * The marginal histogram drawn beside the heatmap: each bucket's mean rate over the visible range and
 * its share of the largest one, so the overall shape reads at a glance next to its change over time.
 */
export function marginalRates(cells: HeatmapCells): { mean: number; share: number }[] {
  const means = cells.values.map((row) => {
    const known = row.filter((v): v is number => v !== null);
    return known.length === 0 ? 0 : known.reduce((sum, v) => sum + v, 0) / known.length;
  });
  const largest = Math.max(0, ...means);
  return means.map((mean) => ({ mean, share: largest === 0 ? 0 : mean / largest }));
}
