import { compareLabelValueLists } from '../label-order';
import type { HistogramSeries, MetricFamily, ScalarColumns, ScalarSeries } from '../model';

// client_golang's Gather sorts families by name and the series of a family by their label values (label
// pairs are already in name order), and drops families without series. We do the same on copies; families
// from series tables come in that order already (label-order.ts holds the rule for both).

/** client_golang's series order: label values compared one by one (label names are the same in a family). */
export function compareLabelValues(a: ScalarSeries | HistogramSeries, b: ScalarSeries | HistogramSeries): number {
  return compareLabelValueLists(a.labelValues, b.labelValues);
}

/** Columns come in exposition order (see ScalarColumns); reading `series` would build every object. */
export function columnsOf(family: MetricFamily): ScalarColumns | undefined {
  return family.type === 'histogram' ? undefined : family.columns;
}

function inOrder(family: MetricFamily): boolean {
  return family.type === 'histogram' ? family.ordered === true : family.columns !== undefined;
}

export function sortFamilies(families: readonly MetricFamily[]): MetricFamily[] {
  return families
    .filter((family) => (columnsOf(family)?.values.length ?? family.series.length) > 0)
    .map((family) => (inOrder(family) ? family : ({ ...family, series: [...family.series].sort(compareLabelValues) } as MetricFamily)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
