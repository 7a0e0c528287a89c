// Process and Node.js runtime metrics come from @prometheus-io/client (prom-client's successor under the
// Prometheus organisation, same API; the counterpart of Go's process and
// runtime collectors upstream exports). They are converted into our family model so one formatter
// writes the whole scrape, with one number format and one ordering.
import client, { type MetricObjectWithValues, type MetricValue } from '@prometheus-io/client';
import registerGcDuration from '@prometheus-io/client/lib/metrics/gc.js';
import registerHeapSizes from '@prometheus-io/client/lib/metrics/heapSizeAndUsed.js';
import registerMaxFds from '@prometheus-io/client/lib/metrics/processMaxFileDescriptors.js';
import registerMemory from '@prometheus-io/client/lib/metrics/osMemoryHeap.js';
import registerOpenFds from '@prometheus-io/client/lib/metrics/processOpenFileDescriptors.js';
import registerCpu from '@prometheus-io/client/lib/metrics/processCpuTotal.js';
import registerHandles from '@prometheus-io/client/lib/metrics/processHandles.js';
import registerStartTime from '@prometheus-io/client/lib/metrics/processStartTime.js';
import registerVersion from '@prometheus-io/client/lib/metrics/version.js';
import type { HistogramSeries, MetricFamily, ScalarSeries } from '@ebpf-exporter/metrics';

type Labels = Partial<Record<string, string | number>>;

// @prometheus-io/client leaves `labels` out of a sample that has none (prom-client gave `{}`).
function labelPairs(labels: Labels = {}, omit?: string): { labelNames: string[]; labelValues: string[] } {
  const names = Object.keys(labels).filter((name) => name !== omit && labels[name] !== undefined);
  return { labelNames: names, labelValues: names.map((name) => String(labels[name])) };
}

function histogramSeries(name: string, values: MetricValue<string>[]): HistogramSeries[] {
  const groups = new Map<string, HistogramSeries>();
  const groupFor = (labels?: Labels): HistogramSeries => {
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
      const le = Number(sample.labels?.le);
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

/**
 * What Go's process collector and the cheap part of its runtime collector give upstream's users: CPU,
 * memory, file descriptors, start time, the runtime's version, heap sizes, GC pauses and live handles
 * (the goroutine count's counterpart). collectDefaultMetrics() would add the event-loop lag collector,
 * whose delay monitor wakes the process every 10 ms even when nobody scrapes, and per scrape the loop
 * utilization summary, the 13 heap spaces and the active resources: together most of a small scrape's
 * CPU, on every node of a fleet (BENCHMARKS.md, footprint).
 */
const COLLECTORS = [
  registerCpu,
  registerStartTime,
  registerMemory,
  registerOpenFds,
  registerMaxFds,
  registerVersion,
  registerHeapSizes,
  registerGcDuration,
  registerHandles,
];

export class ProcessMetrics {
  private readonly registry = new client.Registry();

  constructor() {
    for (const register of COLLECTORS) register(this.registry);
  }

  async families(): Promise<MetricFamily[]> {
    return toFamilies(await this.registry.getMetricsAsJSON());
  }
}
