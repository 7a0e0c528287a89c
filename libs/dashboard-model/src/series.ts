// Result shapes shared by both data sources (the exporter's history API and Prometheus's query_range),
// so the app draws from one format whichever answered.

/** `sum by (le) (rate(x_bucket[w]))` over a time range: cumulative rates per bound and instant. */
export interface BucketRateMatrix {
  /** Unix seconds, ascending. */
  times: number[];
  /** Upper bounds ascending, the last one `+Inf`. */
  upperBounds: number[];
  /** `[bucket][time]`, cumulative like the `le` series they come from; `null` where no rate exists. */
  cumulativeRates: (number | null)[][];
}

export interface LabelledSeries {
  labels: Record<string, string>;
  values: (number | null)[];
}

export interface SeriesMatrix {
  times: number[];
  series: LabelledSeries[];
}

/** The N series with the highest mean over the range: a stable choice, unlike a per-instant topk. */
export function topSeries(series: readonly LabelledSeries[], count: number): LabelledSeries[] {
  const withMean = series.map((s) => ({ s, mean: mean(s.values) }));
  withMean.sort((a, b) => b.mean - a.mean);
  return withMean.slice(0, count).map(({ s }) => s);
}

function mean(values: readonly (number | null)[]): number {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v !== null && Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? Number.NEGATIVE_INFINITY : sum / n;
}

/** One legend entry for a label set, Prometheus style: `{a="1", b="2"}`. */
export function seriesName(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return 'total';
  return `{${entries.map(([k, v]) => `${k}="${v}"`).join(', ')}}`;
}

/** JSON has no `Infinity`: on the wire the bounds travel as `le` strings, as Prometheus writes them. */
export interface BucketRateMatrixJson {
  times: number[];
  le: string[];
  cumulativeRates: (number | null)[][];
}
