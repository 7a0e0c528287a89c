// Where the panels get their numbers: the exporter's own history, or any Prometheus-compatible server.
// Both answer in the same shapes so the charts do not care which one is in use.
import type { BucketRateMatrix, GaugePanel, HeatmapPanel, LabelFilters, Panel, RatePanel, SeriesMatrix } from '@ebpf-exporter/dashboard-model';
import type { QueryRange } from './time-range';

export interface HeatmapData {
  matrix: BucketRateMatrix;
  /** One line per panel quantile, `null` where undefined; absent when the caller computes them itself. */
  quantiles?: (number | null)[][];
}

/** One CPU's heatmap of a per-CPU histogram. */
export interface CpuHeatmapData extends HeatmapData {
  cpu: string;
}

export interface DataSource {
  /** Shown in the header so users know what they are looking at. */
  readonly description: string;
  /** Spacing of the source's samples in seconds, for choosing steps and rate windows. */
  readonly sampleInterval: number;
  heatmap(panel: HeatmapPanel, filters: LabelFilters, range: QueryRange): Promise<HeatmapData>;
  /** A per-CPU histogram's heatmap for each CPU with data, in CPU order. */
  heatmapsPerCpu(panel: HeatmapPanel, filters: LabelFilters, range: QueryRange): Promise<CpuHeatmapData[]>;
  rates(panel: RatePanel, filters: LabelFilters, range: QueryRange): Promise<SeriesMatrix>;
  /** A gauge's own values, the busiest series of the range. */
  gauges(panel: GaugePanel, filters: LabelFilters, range: QueryRange): Promise<SeriesMatrix>;
  /** Labels the source adds to every series (Prometheus's `instance`), filterable on every panel. */
  readonly sourceLabels: readonly string[];
  /** Values seen per filterable label (source labels and the panel's own) of the panel's metric. */
  labelValues(panel: Panel): Promise<Record<string, string[]>>;
}

/** CPU indexes in numeric order: `2` before `10`. */
export function byCpu(a: { cpu: string }, b: { cpu: string }): number {
  return Number(a.cpu) - Number(b.cpu) || a.cpu.localeCompare(b.cpu);
}

export class RequestError extends Error {}

export async function getJson<T>(url: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new RequestError(`${url}: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) throw new RequestError(`${url}: HTTP ${response.status} ${text.slice(0, 200)}`);
  return JSON.parse(text) as T;
}
