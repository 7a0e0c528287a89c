import { parseLabelValues } from '../exposition/escape';
import { labelTextAt } from '../label-arena';
import type { HistogramBucket, HistogramSeries, LabelArena, MetricFamily, ScalarColumns, ScalarSeries, ScalarType } from '../model';
import { histogramFromColumns, type HistogramShape } from './histogram';
import type { SeriesView } from './series-table';

/**
 * A scalar family over columns (see ScalarColumns): `series` objects are only built if someone asks for
 * them (the dashboard's history sampler), never on the scrape path, where a million series would be a
 * million short-lived objects for the garbage collector.
 */
export function columnarFamily(name: string, help: string, type: ScalarType, columns: ScalarColumns): MetricFamily {
  let series: ScalarSeries[] | undefined;
  return {
    name,
    help,
    type,
    columns,
    get series(): ScalarSeries[] {
      series ??= Array.from(columns.values, (value, i) => {
        const labelText = labelTextAt(columns.labels, i);
        return { labelNames: columns.labelNames, labelValues: parseLabelValues(labelText), labelText, value };
      });
      return series;
    },
  };
}

/** A histogram series of a series table: its label values are parsed from its text only if asked for. */
class TableHistogramSeries implements HistogramSeries {
  private values: string[] | undefined;

  constructor(
    readonly labelNames: readonly string[],
    readonly labelText: string,
    readonly buckets: HistogramBucket[],
    readonly sum: number,
    readonly count: number,
  ) {}

  get labelValues(): readonly string[] {
    this.values ??= parseLabelValues(this.labelText);
    return this.values;
  }
}

/** A histogram family from a series table's view, in its order. */
export function tableHistogramFamily(name: string, help: string, labelNames: readonly string[], view: SeriesView, shape: HistogramShape): MetricFamily {
  const labels: LabelArena = view.labels;
  const series = Array.from(view.ids, (_, rank) => {
    const { buckets, sum, count } = histogramFromColumns(view.values, rank * shape.width, shape);
    return new TableHistogramSeries(labelNames, labelTextAt(labels, rank), buckets, sum, count);
  });
  return { name, help, type: 'histogram', series, ordered: true };
}
