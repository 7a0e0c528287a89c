// What the dashboard needs from a parsed config: metric names, help and filterable labels.
import type { Config, LabelConfig } from '@ebpf-exporter/metrics';
import type { DashboardConfigInfo } from '@ebpf-exporter/dashboard-model';

export function dashboardConfigInfo(config: Config): DashboardConfigInfo {
  const scalar = (metric: { name: string; help: string; labels: readonly LabelConfig[] }) => ({
    name: metric.name,
    help: metric.help,
    labels: metric.labels.map((label) => label.name),
  });
  return {
    name: config.name,
    counters: config.metrics.counters.map(scalar),
    gauges: config.metrics.gauges.map(scalar),
    histograms: config.metrics.histograms.map((histogram) => {
      // The bucket index becomes `le`: it is the last label, or the one before a per-CPU histogram's `cpu`.
      const bucket = histogram.labels.length - (histogram.perCpu ? 2 : 1);
      return {
        name: histogram.name,
        help: histogram.help,
        labels: histogram.labels.filter((_, i) => i !== bucket).map((label) => label.name),
        bucketType: histogram.bucketType,
      };
    }),
  };
}
