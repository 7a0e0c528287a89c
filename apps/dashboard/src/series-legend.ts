// What a line panel draws and lists when a metric has many series: those matching the search box, the
// busiest N of them by mean over the range, and (for counters, whose rates add up) the rest summed into
// one "other" line, so the chart and its legend stay readable and the total stays right.
import { seriesName, type LabelledSeries, type SeriesMatrix } from '@ebpf-exporter/dashboard-model';

export interface NamedSeries {
  name: string;
  values: (number | null)[];
}

export interface LegendSeries {
  times: number[];
  series: NamedSeries[];
  /** Series the source answered, and those of them the search matched. */
  total: number;
  matched: number;
  /** How many matched series the "other" line sums (0 without one). */
  folded: number;
}

/**
 * `matrix.series` come busiest first (the sources rank them by mean). The search matches the series'
 * legend name (`{function="tick_sched_timer"}`) as a case-insensitive substring.
 */
export function legendSeries(matrix: SeriesMatrix, top: number, search: string, foldRest: boolean): LegendSeries {
  const needle = search.trim().toLowerCase();
  const named = matrix.series.map((s) => ({ name: seriesName(s.labels), values: s.values }));
  const matching = needle ? named.filter((s) => s.name.toLowerCase().includes(needle)) : named;
  const shown = matching.slice(0, top);
  const rest = matching.slice(top);
  const series = foldRest && rest.length > 0 ? [...shown, { name: `other (${rest.length} series)`, values: sumValues(rest, matrix.times.length) }] : shown;
  return { times: matrix.times, series, total: matrix.series.length, matched: matching.length, folded: foldRest ? rest.length : 0 };
}

/** Per instant the sum of the known values, `null` where none is known (a gap stays a gap). */
function sumValues(series: readonly Pick<LabelledSeries, 'values'>[], length: number): (number | null)[] {
  return Array.from({ length }, (_, t) => {
    let sum: number | null = null;
    for (const s of series) {
      const v = s.values[t];
      if (v !== null && v !== undefined && Number.isFinite(v)) sum = (sum ?? 0) + v;
    }
    return sum;
  });
}

/** The newest known value, which the legend shows while the pointer is not on the chart. */
export function latestValue(values: ArrayLike<number | null | undefined>): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) return v;
  }
  return null;
}
