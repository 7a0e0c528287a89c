// The exporter's in-memory history, served by libs/dashboard-server under `api/history/`.
import {
  matrixFromJson,
  type BucketRateMatrixJson,
  type HeatmapPanel,
  type LabelFilters,
  type Panel,
  type RatePanel,
  type SeriesMatrix,
} from '@ebpf-exporter/dashboard-model';
import { getJson, type DataSource, type HeatmapData } from './data-source';
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

  async rates(panel: RatePanel, filters: LabelFilters, range: QueryRange): Promise<SeriesMatrix> {
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
