// Conversions between Prometheus's cumulative `le` buckets and the per-bucket counts a heatmap draws.
import type { BucketRateMatrix, BucketRateMatrixJson } from './series';

/** Parses an `le` label value as Prometheus writes it (`+Inf` is not a JavaScript number literal). */
export function parseLe(le: string): number {
  if (le === '+Inf') return Number.POSITIVE_INFINITY;
  if (le === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(le);
}

export function formatLe(bound: number): string {
  if (bound === Number.POSITIVE_INFINITY) return '+Inf';
  if (bound === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(bound);
}

/**
 * Per-bucket counts from cumulative counts sorted by bound (Grafana's "format as heatmap").
 * Rates of neighbouring buckets come from separate series, so a difference can be slightly negative;
 * that means "nothing observed" and is drawn as zero. A missing value stays missing.
 */
export function deaccumulate(cumulative: readonly (number | null)[]): (number | null)[] {
  let previous = 0;
  return cumulative.map((value) => {
    if (value === null || Number.isNaN(value)) return null;
    const count = Math.max(0, value - previous);
    previous = Math.max(previous, value);
    return count;
  });
}

export function matrixToJson(matrix: BucketRateMatrix): BucketRateMatrixJson {
  return { times: matrix.times, le: matrix.upperBounds.map(formatLe), cumulativeRates: matrix.cumulativeRates };
}

export function matrixFromJson(json: BucketRateMatrixJson): BucketRateMatrix {
  return { times: json.times, upperBounds: json.le.map(parseLe), cumulativeRates: json.cumulativeRates };
}
