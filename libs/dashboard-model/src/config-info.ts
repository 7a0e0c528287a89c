// What the dashboard needs to know about one loaded config: enough to generate its panels without the
// BPF objects. The exporter derives it from the parsed YAML; standalone mode derives it from Prometheus.

export interface CounterInfo {
  /** Name as written in the config, without the `ebpf_exporter_` namespace. */
  name: string;
  help: string;
  labels: string[];
}

export interface HistogramInfo {
  name: string;
  help: string;
  /** Label names without the bucket label (that one becomes `le`). */
  labels: string[];
  /** `exp2`, `exp2zero`, `linear` or `fixed`; decides the default Y scale of the heatmap. */
  bucketType: string;
}

export interface DashboardConfigInfo {
  name: string;
  counters: CounterInfo[];
  histograms: HistogramInfo[];
}

/** Every user metric of the exporter lives under this fixed namespace, as upstream does. */
export const METRIC_NAMESPACE = 'ebpf_exporter_';

export function exportedName(configMetricName: string): string {
  return METRIC_NAMESPACE + configMetricName;
}
