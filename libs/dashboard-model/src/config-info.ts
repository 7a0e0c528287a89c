// What the dashboard needs to know about one loaded config: enough to generate its panels without the
// BPF objects. The exporter derives it from the parsed YAML; standalone mode derives it from Prometheus.

export interface CounterInfo {
  /** Name as written in the config, without the `ebpf_exporter_` namespace. */
  name: string;
  help: string;
  labels: string[];
}

/** A value that goes up and down (a level, not a count): drawn as it is, never as a rate. */
export interface GaugeInfo {
  name: string;
  help: string;
  labels: string[];
}

export interface HistogramInfo {
  name: string;
  help: string;
  /**
   * Label names without the bucket label (that one becomes `le`). A histogram read per CPU keeps its
   * {@link CPU_LABEL}, and so gets a per-CPU view.
   */
  labels: string[];
  /** `exp2`, `exp2zero`, `linear` or `fixed`; decides the default Y scale of the heatmap. */
  bucketType: string;
}

export interface DashboardConfigInfo {
  name: string;
  counters: CounterInfo[];
  /** Came after counters and histograms: descriptions made before them (an older exporter's) have none. */
  gauges?: GaugeInfo[];
  histograms: HistogramInfo[];
}

/** The label a per-CPU map's series carry, as upstream names it: the CPU index. */
export const CPU_LABEL = 'cpu';

/** Every user metric of the exporter lives under this fixed namespace, as upstream does. */
export const METRIC_NAMESPACE = 'ebpf_exporter_';

export function exportedName(configMetricName: string): string {
  return METRIC_NAMESPACE + configMetricName;
}
