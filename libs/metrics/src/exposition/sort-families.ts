import type { HistogramSeries, MetricFamily, ScalarSeries } from '../model';

// client_golang's Gather sorts families by name and the series of a family by their label values (label
// pairs are already in name order), and drops families without series. We do the same on copies.

function compareLabelValues(a: ScalarSeries | HistogramSeries, b: ScalarSeries | HistogramSeries): number {
  const left = a.labelValues;
  const right = b.labelValues;
  const count = Math.min(left.length, right.length);
  for (let i = 0; i < count; i++) {
    const x = left[i] as string;
    const y = right[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return left.length - right.length;
}

export function sortFamilies(families: readonly MetricFamily[]): MetricFamily[] {
  return families
    .filter((family) => family.series.length > 0)
    .map((family) => ({ ...family, series: [...family.series].sort(compareLabelValues) }) as MetricFamily)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
