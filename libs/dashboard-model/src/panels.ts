// The panel model: one description of what to draw, generated from the loaded configs and rendered by
// both the bundled app and the Grafana dashboard generator.
import { CPU_LABEL, exportedName, type CounterInfo, type DashboardConfigInfo, type GaugeInfo } from './config-info';

export const DEFAULT_QUANTILES: readonly number[] = [0.5, 0.9, 0.99];
export const DEFAULT_TOP_SERIES = 10;

export interface HeatmapPanel {
  kind: 'heatmap';
  /** Stable across reloads, used as the key of the panel's state in the URL. */
  id: string;
  config: string;
  title: string;
  description: string;
  /** Exported family name (`ebpf_exporter_<name>`); the buckets are `<metric>_bucket`. */
  metric: string;
  /** Labels the user can filter on (the bucket label excluded). */
  labels: string[];
  quantiles: readonly number[];
  /** Exponential buckets read best on a log2 axis; linear ones on a linear axis. */
  yScale: 'log2' | 'linear';
  unit: string;
  /**
   * Its series carry a `cpu` label (a per-CPU map): besides the sum over CPUs, which is the default, it
   * can be drawn as one heatmap per CPU.
   */
  perCpu: boolean;
}

/** The busiest few series of a scalar metric, one line each. */
interface LinesPanel {
  id: string;
  config: string;
  title: string;
  description: string;
  metric: string;
  labels: string[];
  topSeries: number;
  unit: string;
}

/** A counter's per-second rate. */
export interface RatePanel extends LinesPanel {
  kind: 'rate';
}

/** A gauge's values themselves over time: a level is read as it is, a rate of it means nothing. */
export interface GaugePanel extends LinesPanel {
  kind: 'gauge';
}

export type Panel = HeatmapPanel | RatePanel | GaugePanel;

/** How a per-CPU heatmap is drawn: summed over CPUs (the default), or one heatmap per CPU. */
export type CpuView = 'summed' | 'per-cpu';

export interface Dashboard {
  config: string;
  panels: Panel[];
}

export function buildDashboards(configs: readonly DashboardConfigInfo[]): Dashboard[] {
  return configs.map((config) => ({
    config: config.name,
    panels: [
      ...config.histograms.map(
        (histogram): HeatmapPanel => ({
          kind: 'heatmap',
          id: `${config.name}.${histogram.name}`,
          config: config.name,
          title: histogram.name,
          description: histogram.help,
          metric: exportedName(histogram.name),
          labels: [...histogram.labels],
          quantiles: DEFAULT_QUANTILES,
          yScale: histogram.bucketType === 'linear' || histogram.bucketType === 'fixed' ? 'linear' : 'log2',
          unit: unitOf(histogram.name),
          perCpu: histogram.labels.includes(CPU_LABEL),
        }),
      ),
      ...config.counters.map((counter): RatePanel => ({ kind: 'rate', ...linesPanel(config.name, counter, `rate(${counter.name})`, '/s') })),
      ...(config.gauges ?? []).map((gauge): GaugePanel => ({ kind: 'gauge', ...linesPanel(config.name, gauge, gauge.name, unitOf(gauge.name)) })),
    ],
  }));
}

function linesPanel(config: string, metric: CounterInfo | GaugeInfo, title: string, unit: string): LinesPanel {
  return {
    id: `${config}.${metric.name}`,
    config,
    title,
    description: metric.help,
    metric: exportedName(metric.name),
    labels: [...metric.labels],
    topSeries: DEFAULT_TOP_SERIES,
    unit,
  };
}

/** Prometheus naming puts the base unit last (`_seconds`, `_bytes`); anything else is a plain count. */
function unitOf(metricName: string): string {
  if (metricName.endsWith('_seconds')) return 's';
  if (metricName.endsWith('_bytes')) return 'bytes';
  return '';
}
