import type { HistogramSeries, MetricFamily, ScalarColumns, ScalarSeries } from '../model';

// client_golang's Gather sorts families by name and the series of a family by their label values (label
// pairs are already in name order), and drops families without series. We do the same on copies.

/** client_golang's series order: label values compared one by one (label names are the same in a family). */
export function compareLabelValues(a: ScalarSeries | HistogramSeries, b: ScalarSeries | HistogramSeries): number {
  return compareLabelValueLists(a.labelValues, b.labelValues);
}

function compareLabelValueLists(left: readonly string[], right: readonly string[]): number {
  const count = Math.min(left.length, right.length);
  for (let i = 0; i < count; i++) {
    const x = left[i] as string;
    const y = right[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return left.length - right.length;
}

/**
 * One string per label set that sorts, with `<`, exactly as compareLabelValueLists orders the lists: values
 * joined by NUL NUL, a NUL inside a value written NUL 1. Both sort below every other character, the
 * separator below an escaped NUL, so a value that ends sorts before one that goes on, as in the list order.
 * One string comparison then replaces a loop over values, which matters when a million series are sorted.
 */
export function labelValuesSortKey(values: readonly string[]): string {
  return values.map((value) => (value.includes('\u0000') ? value.replaceAll('\u0000', '\u0000\u0001') : value)).join('\u0000\u0000');
}

/** Columns come in exposition order (see ScalarColumns); reading `series` would build every object. */
export function columnsOf(family: MetricFamily): ScalarColumns | undefined {
  return family.type === 'histogram' ? undefined : family.columns;
}

export function sortFamilies(families: readonly MetricFamily[]): MetricFamily[] {
  return families
    .filter((family) => (columnsOf(family)?.values.length ?? family.series.length) > 0)
    .map((family) =>
      columnsOf(family) !== undefined
        ? family
        : ({ ...family, series: [...family.series].sort(compareLabelValues) } as MetricFamily),
    )
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
