// The exporter's in-memory history, served by libs/dashboard-server under `api/history/`.
import {
  CPU_LABEL,
  matrixFromJson,
  type BucketRateMatrixJson,
  type GaugePanel,
  type HeatmapPanel,
  type LabelFilters,
  type Panel,
  type RatePanel,
  type SeriesMatrix,
} from '@ebpf-exporter/dashboard-model';
import { byCpu, getJson, type CpuHeatmapData, type DataSource, type HeatmapData } from './data-source';
import type { QueryRange } from './time-range';

export class HistorySource implements DataSource {
  readonly description: string;
  readonly sourceLabels: readonly string[] = [];

  constructor(
    private readonly baseUrl: string,
    readonly sampleInterval: number,
    windowSeconds: number,
  ) {
    this.description = `exporter history (${windowSeconds / 60} min every ${sampleInterval} s)`;
  }

  async heatmap(panel: HeatmapPanel, filters: LabelFilters, range: QueryRange): Promise<HeatmapData> {
    const json = await getJson<BucketRateMatrixJson>(this.url('buckets', panel.metric, filters, range));
    return { matrix: matrixFromJson(json) };
  }

  /** The history answers one CPU's buckets when filtered on it: one request per CPU it has seen. */
  async heatmapsPerCpu(panel: HeatmapPanel, filters: LabelFilters, range: QueryRange): Promise<CpuHeatmapData[]> {
    const cpus = (await this.labelValues(panel))[CPU_LABEL] ?? [];
    const heatmaps = await Promise.all(cpus.map(async (cpu) => ({ cpu, ...(await this.heatmap(panel, { ...filters, [CPU_LABEL]: cpu }, range)) })));
    // A CPU seen only in series the other filters leave out has no buckets.
    return heatmaps.filter((heatmap) => heatmap.matrix.upperBounds.length > 0).sort(byCpu);
  }

  async rates(panel: RatePanel, filters: LabelFilters, range: QueryRange): Promise<SeriesMatrix> {
    return this.scalarSeries(panel, filters, range);
  }

  async gauges(panel: GaugePanel, filters: LabelFilters, range: QueryRange): Promise<SeriesMatrix> {
    return this.scalarSeries(panel, filters, range);
  }

  /** The history knows each family's type: asked the same question it answers a counter's rates, a gauge's values. */
  private scalarSeries(panel: RatePanel | GaugePanel, filters: LabelFilters, range: QueryRange): Promise<SeriesMatrix> {
    return getJson<SeriesMatrix>(`${this.url('counters', panel.metric, filters, range)}&top=${panel.topSeries}`);
  }

  async labelValues(panel: Panel): Promise<Record<string, string[]>> {
    return getJson(`${this.baseUrl}/history/labels?${new URLSearchParams({ metric: panel.metric })}`);
  }

  private url(kind: string, metric: string, filters: LabelFilters, range: QueryRange): string {
    const params = new URLSearchParams({
      metric,
      start: String(range.start),
      end: String(range.end),
      step: String(range.step),
      window: String(range.window),
    });
    for (const [label, value] of Object.entries(filters)) params.append('filter', `${label}=${value}`);
    return `${this.baseUrl}/history/${kind}?${params}`;
  }
}
