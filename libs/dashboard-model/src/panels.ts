// The panel model: one description of what to draw, generated from the loaded configs and rendered by
// both the bundled app and the Grafana dashboard generator.
import { exportedName, type DashboardConfigInfo } from './config-info';

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
}

export interface RatePanel {
  kind: 'rate';
  id: string;
  config: string;
  title: string;
  description: string;
  metric: string;
  labels: string[];
  topSeries: number;
  unit: string;
}

export type Panel = HeatmapPanel | RatePanel;

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
        }),
      ),
      ...config.counters.map(
        (counter): RatePanel => ({
          kind: 'rate',
          id: `${config.name}.${counter.name}`,
          config: config.name,
          title: `rate(${counter.name})`,
          description: counter.help,
          metric: exportedName(counter.name),
          labels: [...counter.labels],
          topSeries: DEFAULT_TOP_SERIES,
          unit: '/s',
        }),
      ),
    ],
  }));
}

/** Prometheus naming puts the base unit last (`_seconds`, `_bytes`); anything else is a plain count. */
function unitOf(metricName: string): string {
  if (metricName.endsWith('_seconds')) return 's';
  if (metricName.endsWith('_bytes')) return 'bytes';
  return '';
}
