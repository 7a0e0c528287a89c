// One metric family's series as the history reads them, by position, whether the family carries columns
// or series objects. Columns are read as they are: a family's `series` getter would build an object and
// parse the label values of each of its series, a million of them for a large BPF map, every sample.
import { labelTextAt, parseLabelValues, renderLabelPairs, type HistogramSeries, type MetricFamily, type ScalarSeries } from '@ebpf-exporter/metrics';

export interface FamilySeries {
  readonly count: number;
  /**
   * The family's label texts as one object when its producer keeps it across scrapes (columns' arena): the
   * same object in two samples holds the same series at the same positions. `undefined` for series objects.
   */
  readonly layout: object | undefined;
  /**
   * Series `i`'s labels as the exposition writes them (`a="x",b="y"`): the escaping is reversible, so the
   * text identifies the label set, and a producer that keeps it rendered across scrapes hands out the same
   * string each time. Texts are unique within a family, as the exposition requires.
   */
  labelText(i: number): string;
  /** Its labels by name; only asked for when the history admits the series, so columns are parsed then. */
  labels(i: number): Record<string, string>;
  /** Its finite histogram bounds, or `null` for a scalar. */
  upperBounds(i: number): number[] | null;
  /** Writes its values (one per bound plus `count` for a histogram, else one) into `values` from `offset`. */
  write(i: number, values: Float64Array, offset: number): void;
}

export function familySeries(family: MetricFamily): FamilySeries {
  if (family.type === 'histogram') return histogramSeries(family.series);
  const columns = family.columns;
  if (!columns) return scalarSeries(family.series);
  return {
    count: columns.values.length,
    layout: columns.labels,
    labelText: (i) => labelTextAt(columns.labels, i),
    labels: (i) => labelRecord(columns.labelNames, parseLabelValues(labelTextAt(columns.labels, i))),
    upperBounds: () => null,
    write: (i, values, offset) => (values[offset] = columns.values[i] as number),
  };
}

function scalarSeries(series: readonly ScalarSeries[]): FamilySeries {
  return {
    ...objectLabels(series),
    upperBounds: () => null,
    write: (i, values, offset) => (values[offset] = (series[i] as ScalarSeries).value),
  };
}

function histogramSeries(series: readonly HistogramSeries[]): FamilySeries {
  return {
    ...objectLabels(series),
    upperBounds: (i) => (series[i] as HistogramSeries).buckets.map((bucket) => bucket.upperBound),
    write: (i, values, offset) => {
      const { buckets, count } = series[i] as HistogramSeries;
      buckets.forEach((bucket, k) => (values[offset + k] = bucket.cumulativeCount));
      values[offset + buckets.length] = count;
    },
  };
}

function objectLabels(series: readonly (ScalarSeries | HistogramSeries)[]): Pick<FamilySeries, 'count' | 'layout' | 'labelText' | 'labels'> {
  const at = (i: number) => series[i] as ScalarSeries | HistogramSeries;
  return {
    count: series.length,
    layout: undefined,
    labelText: (i) => at(i).labelText ?? renderLabelPairs(at(i).labelNames, at(i).labelValues),
    labels: (i) => labelRecord(at(i).labelNames, at(i).labelValues),
  };
}

function labelRecord(names: readonly string[], values: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name, k) => [name, values[k] ?? '']));
}
