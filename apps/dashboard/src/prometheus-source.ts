// Any server speaking Prometheus's HTTP query API (Prometheus, Thanos, Mimir, VictoriaMetrics).
import {
  bucketRateQuery,
  counterRateQuery,
  CPU_LABEL,
  durationLiteral,
  exactMatchers,
  gaugeQuery,
  parseLe,
  quantileQuery,
  rangeSteps,
  selector,
  topSeries,
  type BucketRateMatrix,
  type CpuView,
  type GaugePanel,
  type HeatmapPanel,
  type LabelFilters,
  type Panel,
  type LabelledSeries,
  type RatePanel,
  type SeriesMatrix,
} from '@ebpf-exporter/dashboard-model';
import type { DashboardConfigInfo } from '@ebpf-exporter/dashboard-model';
import { byCpu, getJson, RequestError, type CpuHeatmapData, type DataSource, type HeatmapData } from './data-source';
import { nativeBounds, nativeBucketMatrix, type NativeHistogram } from './prometheus-native';
import type { QueryRange } from './time-range';

interface MatrixResponse {
  status: string;
  error?: string;
  data: { result: { metric: Record<string, string>; values?: [number, string][]; histograms?: [number, NativeHistogram][] }[] };
}

type QueryResult = { labels: Record<string, string>; points: [number, string][]; histograms: [number, NativeHistogram][] }[];

/** Prometheus's default scrape interval; the API does not tell the real one. */
const ASSUMED_SCRAPE_INTERVAL = 15;

export class PrometheusSource implements DataSource {
  readonly sampleInterval = ASSUMED_SCRAPE_INTERVAL;
  /** One Prometheus often scrapes several exporters: let every panel pick a host. */
  readonly sourceLabels: readonly string[] = ['instance'];
  readonly description: string;

  constructor(private readonly baseUrl: string, label: string = baseUrl) {
    this.description = `Prometheus at ${label}`;
  }

  async heatmap(panel: HeatmapPanel, filters: LabelFilters, range: QueryRange): Promise<HeatmapData> {
    const [buckets, quantiles] = await this.bucketQueries(panel, filters, range, 'summed');
    const times = rangeSteps(range.start, range.end, range.step);
    return {
      matrix: anyBucketMatrix(buckets, times),
      quantiles: quantiles.map((result) => (result[0] ? align(result[0].points, times) : times.map(() => null))),
    };
  }

  /** One query keeping `cpu` for the buckets, one per quantile: each answers every CPU at once. */
  async heatmapsPerCpu(panel: HeatmapPanel, filters: LabelFilters, range: QueryRange): Promise<CpuHeatmapData[]> {
    const [buckets, quantiles] = await this.bucketQueries(panel, filters, range, 'per-cpu');
    const times = rangeSteps(range.start, range.end, range.step);
    const cpus = [...new Set(buckets.map((s) => s.labels[CPU_LABEL] ?? ''))];
    return cpus
      .map((cpu) => ({
        cpu,
        matrix: anyBucketMatrix(buckets.filter((s) => s.labels[CPU_LABEL] === cpu), times, buckets),
        quantiles: quantiles.map((result) => {
          const line = result.find((s) => s.labels[CPU_LABEL] === cpu);
          return line ? align(line.points, times) : times.map(() => null);
        }),
      }))
      .sort(byCpu);
  }

  private async bucketQueries(
    panel: HeatmapPanel,
    filters: LabelFilters,
    range: QueryRange,
    view: CpuView,
  ): Promise<[QueryResult, QueryResult[]]> {
    const matchers = exactMatchers(filters);
    const window = durationLiteral(range.window);
    // Native histograms first (one series per label set, the buckets inside each sample); a Prometheus
    // that has none of this metric answers with nothing, and the classic `_bucket` series are asked for.
    const native = nativeRateQuery(panel, matchers, window, view);
    const nativeBuckets = await this.queryRange(native, range);
    if (nativeBuckets.some((s) => s.histograms.length > 0)) {
      const quantiles = await Promise.all(panel.quantiles.map((q) => this.queryRange(`histogram_quantile(${q}, ${native})`, range)));
      return [nativeBuckets, quantiles];
    }
    const [buckets, ...quantiles] = await Promise.all([
      this.queryRange(bucketRateQuery(panel, matchers, window, view), range),
      ...panel.quantiles.map((q) => this.queryRange(quantileQuery(panel, q, matchers, window, view), range)),
    ]);
    return [buckets ?? [], quantiles];
  }

  async rates(panel: RatePanel, filters: LabelFilters, range: QueryRange): Promise<SeriesMatrix> {
    const result = await this.queryRange(counterRateQuery(panel, exactMatchers(filters), durationLiteral(range.window)), range);
    const times = rangeSteps(range.start, range.end, range.step);
    const series: LabelledSeries[] = result.map((s) => ({ labels: s.labels, values: align(s.points, times) }));
    return { times, series: topSeries(series, panel.topSeries) };
  }

  async gauges(panel: GaugePanel, filters: LabelFilters, range: QueryRange): Promise<SeriesMatrix> {
    const result = await this.queryRange(gaugeQuery(panel, exactMatchers(filters)), range);
    const times = rangeSteps(range.start, range.end, range.step);
    // A plain selector answers with the name and job too: the same on every series, they only crowd the legend.
    const series: LabelledSeries[] = result.map((s) => ({ labels: withoutLabels(s.labels, SELECTOR_LABELS), values: align(s.points, times) }));
    return { times, series: topSeries(series, panel.topSeries) };
  }

  async labelValues(panel: Panel): Promise<Record<string, string[]>> {
    // A classic histogram has no series under its family name, only `_bucket`, `_sum` and `_count`; a
    // native one only that.
    const metrics = panel.kind === 'heatmap' ? [`${panel.metric}_bucket`, panel.metric] : [panel.metric];
    const entries = await Promise.all(
      [...this.sourceLabels, ...panel.labels].map(async (label) => {
        const params = new URLSearchParams(metrics.map((metric) => ['match[]', selector(metric, {})]));
        const body = await getJson<{ data: string[] }>(`${this.baseUrl}/api/v1/label/${encodeURIComponent(label)}/values?${params}`);
        return [label, body.data] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  /**
   * Where Prometheus's samples of the exporters begin in the range, for the time axis: the timestamp of the
   * first sample of the build info every ebpf_exporter (this one and the Go one) serves at each scrape.
   * Undefined when the range holds none (nothing scraped yet, or no ebpf_exporter) or the query fails (the
   * panels report their own errors): the axis then spans the whole range.
   */
  async firstSample(range: QueryRange): Promise<number | undefined> {
    // At the first step after Prometheus's first sample, `timestamp` answers that sample's own time.
    const series = await this.queryRange(`min(timestamp(${NAMESPACE}build_info))`, range).catch(() => []);
    const first = series[0]?.points[0];
    return first === undefined ? undefined : Number(first[1]);
  }

  private async queryRange(query: string, range: QueryRange): Promise<QueryResult> {
    const params = new URLSearchParams({ query, start: String(range.start), end: String(range.end), step: String(range.step) });
    const body = await getJson<MatrixResponse>(`${this.baseUrl}/api/v1/query_range?${params}`);
    if (body.status !== 'success') throw new RequestError(`${query}: ${body.error ?? body.status}`);
    return body.data.result.map((s) => ({ labels: s.metric, points: s.values ?? [], histograms: s.histograms ?? [] }));
  }
}

/** The rate of a native histogram, summed as bucketRateQuery sums the classic buckets (no `le` to keep). */
function nativeRateQuery(panel: HeatmapPanel, matchers: ReturnType<typeof exactMatchers>, window: string, view: CpuView): string {
  const by = view === 'per-cpu' ? ` by (${CPU_LABEL})` : '';
  return `sum${by} (rate(${selector(panel.metric, matchers)}[${window}]))`;
}

/**
 * The heatmap rows of one panel's series (`all`, every CPU's when per CPU, so the CPUs share rows) and the
 * matrix of `series` on them: from native samples when the query found any, else from `le` series.
 */
function anyBucketMatrix(series: QueryResult, times: number[], all: QueryResult = series): BucketRateMatrix {
  if (!all.some((s) => s.histograms.length > 0)) return bucketMatrix(series, times);
  const bounds = nativeBounds(all.flatMap((s) => s.histograms.map(([, histogram]) => histogram)));
  return nativeBucketMatrix(series.flatMap((s) => s.histograms), times, bounds);
}

/** Cumulative bucket rates by bound, from the `sum by (le)` series of one heatmap. */
function bucketMatrix(buckets: QueryResult, times: number[]): BucketRateMatrix {
  const sorted = buckets.map((s) => ({ bound: parseLe(s.labels.le ?? ''), values: align(s.points, times) }));
  sorted.sort((a, b) => a.bound - b.bound);
  return { times, upperBounds: sorted.map((s) => s.bound), cumulativeRates: sorted.map((s) => s.values) };
}

const SELECTOR_LABELS: ReadonlySet<string> = new Set(['__name__', 'job']);

function withoutLabels(labels: Readonly<Record<string, string>>, drop: ReadonlySet<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([label]) => !drop.has(label)));
}

/** Prometheus omits steps without a value; the charts want one slot per step. */
function align(points: readonly [number, string][], times: readonly number[]): (number | null)[] {
  const byTime = new Map(points.map(([t, v]) => [t, Number(parseLe(v))]));
  return times.map((t) => {
    const value = byTime.get(t);
    return value === undefined || !Number.isFinite(value) ? null : value;
  });
}

const NAMESPACE = 'ebpf_exporter_';
/** Labels Prometheus adds or histograms carry that are not the exporter's own. */
const FOREIGN_LABELS = new Set(['__name__', 'job', 'instance', 'le']);
/** The exporter's own gauges share the namespace; they describe the exporter, not the kernel. */
const BUILT_IN_GAUGES = new Set(['enabled_configs', 'ebpf_program_info', 'ebpf_program_attached', 'build_info'].map((n) => NAMESPACE + n));
const DISCOVERED_TYPES = new Set(['histogram', 'counter', 'gauge']);

/**
 * Without an exporter to ask, the panels come from what Prometheus knows: every `ebpf_exporter_*` gauge,
 * histogram and counter, grouped as one pseudo-config.
 */
export async function discoverConfigs(baseUrl: string): Promise<DashboardConfigInfo[]> {
  const metadata = await getJson<{ data: Record<string, { type: string; help: string }[]> }>(`${baseUrl}/api/v1/metadata`);
  const config: Required<DashboardConfigInfo> = { name: 'prometheus', counters: [], gauges: [], histograms: [] };
  for (const [family, entries] of Object.entries(metadata.data).sort(([a], [b]) => a.localeCompare(b))) {
    const type = entries[0]?.type ?? '';
    if (!family.startsWith(NAMESPACE) || !DISCOVERED_TYPES.has(type) || BUILT_IN_GAUGES.has(family)) continue;
    // Scraped as OpenMetrics, a counter family drops its `_total` suffix, which its series keep.
    const candidates = type === 'counter' ? [...new Set([family, `${family}_total`])] : [family];
    for (const metric of candidates) {
      // A histogram's labels from its classic `_bucket` series or its native one, whichever Prometheus has.
      const series = type === 'histogram' ? [`${metric}_bucket`, metric] : [metric];
      const params = new URLSearchParams(series.map((name) => ['match[]', name]));
      const labels = (await getJson<{ data: string[] }>(`${baseUrl}/api/v1/labels?${params}`)).data;
      if (!labels.includes('__name__')) continue;
      const own = labels.filter((l) => !FOREIGN_LABELS.has(l));
      const name = metric.slice(NAMESPACE.length);
      const help = entries[0]?.help ?? '';
      if (type === 'histogram') config.histograms.push({ name, help, labels: own, bucketType: 'exp2' });
      else if (type === 'gauge') config.gauges.push({ name, help, labels: own });
      else config.counters.push({ name, help, labels: own });
      break;
    }
  }
  return [config];
}
