// What the dashboard needs from a parsed config: metric names, help and filterable labels.
import type { Config } from '@ebpf-exporter/metrics';
import type { DashboardConfigInfo } from '@ebpf-exporter/dashboard-model';

export function dashboardConfigInfo(config: Config): DashboardConfigInfo {
  return {
    name: config.name,
    counters: config.metrics.counters.map((counter) => ({
      name: counter.name,
      help: counter.help,
      labels: counter.labels.map((label) => label.name),
    })),
    histograms: config.metrics.histograms.map((histogram) => ({
      name: histogram.name,
      help: histogram.help,
      // The last label is the bucket index; it becomes `le`.
      labels: histogram.labels.slice(0, -1).map((label) => label.name),
      bucketType: histogram.bucketType,
    })),
  };
}
