// Process and Node.js runtime metrics come from prom-client (the counterpart of Go's process and
// runtime collectors upstream exports). They are converted into our family model so one formatter
// writes the whole scrape, with one number format and one ordering.
import client, { type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { HistogramSeries, MetricFamily, ScalarSeries } from '@ebpf-exporter/metrics';

type Labels = Partial<Record<string, string | number>>;

function labelPairs(labels: Labels, omit?: string): { labelNames: string[]; labelValues: string[] } {
  const names = Object.keys(labels).filter((name) => name !== omit && labels[name] !== undefined);
  return { labelNames: names, labelValues: names.map((name) => String(labels[name])) };
}

function histogramSeries(name: string, values: MetricValue<string>[]): HistogramSeries[] {
  const groups = new Map<string, HistogramSeries>();
  const groupFor = (labels: Labels): HistogramSeries => {
    const pairs = labelPairs(labels, 'le');
    const key = JSON.stringify(pairs);
    let group = groups.get(key);
    if (!group) {
      group = { ...pairs, buckets: [], sum: 0, count: 0 };
      groups.set(key, group);
    }
    return group;
  };
  for (const sample of values as (MetricValue<string> & { metricName?: string })[]) {
    const group = groupFor(sample.labels);
    if (sample.metricName === `${name}_bucket`) {
      const le = Number(sample.labels.le);
      if (Number.isFinite(le)) group.buckets.push({ upperBound: le, cumulativeCount: sample.value });
    } else if (sample.metricName === `${name}_sum`) group.sum = sample.value;
    else if (sample.metricName === `${name}_count`) group.count = sample.value;
  }
  for (const group of groups.values()) group.buckets.sort((a, b) => a.upperBound - b.upperBound);
  return [...groups.values()];
}

// prom-client names a few gauges `*_total` (nodejs_active_handles_total, ...), which promtool rejects
// as non-counters with a counter suffix; each is the sum of a labelled gauge exported beside it.
const isMisnamedGauge = (metric: { name: string; type: unknown }): boolean => String(metric.type) === 'gauge' && metric.name.endsWith('_total');

export function toFamilies(metrics: MetricObjectWithValues<MetricValue<string>>[]): MetricFamily[] {
  return metrics.filter((metric) => !isMisnamedGauge(metric)).map((metric): MetricFamily => {
    const type = String(metric.type);
    if (type === 'histogram') return { name: metric.name, help: metric.help, type: 'histogram', series: histogramSeries(metric.name, metric.values) };
    const scalarType = type === 'counter' || type === 'gauge' ? type : 'untyped';
    const series: ScalarSeries[] = metric.values.map((v) => ({ ...labelPairs(v.labels), value: v.value }));
    return { name: metric.name, help: metric.help, type: scalarType, series };
  });
}

export class ProcessMetrics {
  private readonly registry = new client.Registry();

  constructor() {
    client.collectDefaultMetrics({ register: this.registry });
  }

  async families(): Promise<MetricFamily[]> {
    return toFamilies(await this.registry.getMetricsAsJSON());
  }
}
