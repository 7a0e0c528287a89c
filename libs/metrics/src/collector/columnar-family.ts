import { parseLabelValues } from '../exposition/escape';
import { labelTextAt } from '../label-arena';
import type { MetricFamily, ScalarColumns, ScalarSeries, ScalarType } from '../model';

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
