import { bucketLabelIndex } from '../config/key-layout';
import type { Config, HistogramConfig, MapMetricConfig, ValueField } from '../config/types';
import { SKIP } from '../decoders/decoder';
import type { DecoderRegistry } from '../decoders/registry';
import type { MapSource, MetricFamily } from '../model';
import { threadSlicer } from '../time-slice';
import { columnarFamily, tableHistogramFamily } from './columnar-family';
import { checkBucketRange, histogramShape, type HistogramShape } from './histogram';
import { KeyDecoder } from './key-decoder';
import { mapEntries, type Slicing } from './map-entries';
import { SeriesLimitExceeded, SeriesTable, type SeriesView } from './series-table';

export interface CollectorOptions {
  /**
   * Decoded keys cached per metric. Upstream caches forever; here a metric keeps the keys of its last scrape
   * (a key that left the map is forgotten with it), so short-lived keys (pids, recycled cgroup ids) do not
   * grow memory without limit. This bounds them; 0 means unbounded, like upstream's `--config.cache-size`.
   * Default DEFAULT_LABEL_CACHE_SIZE.
   */
  labelCacheSize?: number;
  /**
   * Keys whose labels a decoder rejected, remembered per metric (those of its last scrape, at most this
   * many) to skip decoding them again. 0 (default) = off.
   */
  skipCacheSize?: number;
  /**
   * Most series one metric may have in a scrape (a metric's `max_series` overrides it); past it the metric
   * is left out of that scrape (`CollectResult.skipped`) and the rest served, so a map flooded with keys
   * bounds the exporter's memory and the body Prometheus gets. 0 = no limit. Default DEFAULT_MAX_SERIES.
   */
  maxSeries?: number;
  /**
   * Longest a scrape of this config may take, in milliseconds, read and decode included; 0 (default) = no
   * limit. A scrape over it is left out as a whole (`CollectResult.timedOut`), so one config fed a hostile or
   * huge map cannot hold the scrape of the others. The walk of the map in progress goes on (one at a time
   * per config: the next scrape waits for it), so a first scrape of a million keys that takes longer than
   * the budget leaves them decoded for the next one; maps not read yet are left for the next scrape.
   */
  budgetMs?: number;
}

/** Big enough for a 1M-entry map to stay fully cached across scrapes, bounded for the rest. */
export const DEFAULT_LABEL_CACHE_SIZE = 1 << 20;

/** Every example and the 1M-series benchmark fit; a 5M-key map does not. */
export const DEFAULT_MAX_SERIES = 1 << 20;

const METRIC_NAMESPACE = 'ebpf_exporter';

export interface CollectResult {
  families: MetricFamily[];
  /** Metrics skipped in this scrape because their map could not be read or decoded. */
  errors: { metric: string; error: Error }[];
  /** Metrics left out of this scrape by a limit: more series than `limit`. */
  skipped: { metric: string; reason: 'series_limit'; limit: number }[];
  /** The scrape ran over its budget: no families (see CollectorOptions.budgetMs). */
  timedOut: boolean;
}

/** Thrown by a map read that did not end within its scrape's budget. */
class OverBudget extends Error {}

interface MetricPlan<C extends MapMetricConfig> {
  config: C;
  keyDecoder: KeyDecoder;
  table: SeriesTable;
}

/** A counter or a gauge: one value per series. */
interface ScalarPlan extends MetricPlan<MapMetricConfig> {
  type: 'counter' | 'gauge';
}

interface HistogramPlan extends MetricPlan<HistogramConfig> {
  shape: HistogramShape;
}

/** One scrape's deadline (performance.now() time; Infinity without a budget). */
interface Scrape {
  deadline: number;
}

/**
 * Map walks give the event loop a turn whenever the thread's slice is used up (checked every 1024 entries,
 * a few milliseconds of cold decoding), so a million-entry map leaves the server free to answer other
 * requests (and signals) while it is collected.
 */
const SLICING: Slicing = { entries: 1024, pause: () => threadSlicer.pause() };

/** Resolves to LATE at `deadline`, unless cancelled first. */
function lateAt(deadline: number): { late: Promise<typeof LATE>; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof LATE>((resolve) => (timer = setTimeout(() => resolve(LATE), Math.max(0, deadline - performance.now()))));
  return { late, cancel: () => clearTimeout(timer) };
}

const LATE = Symbol('late');

/** Waits for `read` at most until `deadline`: a read still running in the addon's worker is left to end on its own. */
async function readBefore<T>(read: Promise<T>, deadline: number): Promise<T> {
  if (deadline === Infinity) return read;
  const { late, cancel } = lateAt(deadline);
  try {
    const result = await Promise.race([read, late]);
    if (result === LATE) throw new OverBudget();
    return result;
  } finally {
    cancel();
  }
}

function overBudget(): CollectResult {
  return { families: [], errors: [], skipped: [], timedOut: true };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Reads the maps of one config and turns them into metric families, one scrape per `collect` call. */
export class ConfigCollector {
  private readonly scalars: ScalarPlan[];
  private readonly histograms: HistogramPlan[];
  private readonly littleEndian: boolean;
  private readonly budgetMs: number;

  constructor(
    private readonly config: Config,
    decoders: DecoderRegistry,
    options: CollectorOptions = {},
  ) {
    const unlimited = (limit: number) => (limit === 0 ? Infinity : limit);
    const tableOptions = {
      cacheLimit: unlimited(options.labelCacheSize ?? DEFAULT_LABEL_CACHE_SIZE),
      skipCacheLimit: options.skipCacheSize ?? 0,
    };
    const maxSeries = unlimited(options.maxSeries ?? DEFAULT_MAX_SERIES);
    this.littleEndian = decoders.littleEndian;
    this.budgetMs = options.budgetMs ?? 0;
    const scalarPlan = (metric: MapMetricConfig, type: ScalarPlan['type']): ScalarPlan => {
      const keyDecoder = new KeyDecoder(decoders, { labels: metric.labels, bucketLabel: -1 });
      const table = new SeriesTable((bytes, offset) => {
        const key = keyDecoder.decode(bytes, offset);
        return key === SKIP ? SKIP : { labelText: key.labelText, column: 0 };
      }, { width: 1, maxSeries: metric.maxSeries ?? maxSeries, ...tableOptions });
      return { config: metric, keyDecoder, table, type };
    };
    this.scalars = [
      // perf_event_array counters are event streams, counted by the exporter as records arrive.
      ...config.metrics.counters.filter((counter) => !counter.perfEventArray).map((counter) => scalarPlan(counter, 'counter')),
      ...config.metrics.gauges.map((gauge) => scalarPlan(gauge, 'gauge')),
    ];
    this.histograms = config.metrics.histograms.map((histogram) => {
      const keyDecoder = new KeyDecoder(decoders, { labels: histogram.labels, bucketLabel: bucketLabelIndex(histogram.labels) });
      const shape = histogramShape(histogram);
      const table = new SeriesTable((bytes, offset) => {
        const key = keyDecoder.decode(bytes, offset);
        return key === SKIP ? SKIP : { labelText: key.labelText, column: shape.columnOf(key.bucket) };
      }, { width: shape.width, maxSeries: histogram.maxSeries ?? maxSeries, ...tableOptions });
      return { config: histogram, keyDecoder, table, shape };
    });
  }

  /** The metrics this collector reads from maps (perf_event_array counters are not), in collection order. */
  get mapMetrics(): string[] {
    return [...this.scalars, ...this.histograms].map((plan) => plan.config.name);
  }

  /** The scrape in progress: scrapes of one collector run one after the other (see `collect`). */
  private running: Promise<unknown> = Promise.resolve();
  /** The walk a scrape over its budget left running; the next scrape starts once it ends. */
  private unfinished: Promise<unknown> = Promise.resolve();

  /**
   * One scrape. A scrape yields to the event loop while it walks large maps, so two callers (a Prometheus
   * scrape and the dashboard's sampler) could otherwise interleave on the same recorded passes; calls are
   * queued instead.
   */
  collect(source: MapSource): Promise<CollectResult> {
    const scrape = this.running.then(async () => {
      await this.unfinished;
      return this.collectNow(source);
    });
    this.running = scrape.catch(() => undefined);
    return scrape;
  }

  /**
   * Settles once the scrapes queued so far have ended, an over-budget walk included: from then on this
   * collector reads no map, so a reload may close the maps it read (call it once no new scrape can reach it).
   */
  async idle(): Promise<void> {
    await this.running;
    await this.unfinished;
  }

  private async collectNow(source: MapSource): Promise<CollectResult> {
    const deadline = this.budgetMs > 0 ? performance.now() + this.budgetMs : Infinity;
    const walk = this.walk(source, { deadline });
    if (deadline === Infinity) return walk;
    const { late, cancel } = lateAt(deadline);
    const result = await Promise.race([walk, late]);
    cancel();
    if (result !== LATE) return result;
    this.unfinished = walk.catch(() => undefined);
    return overBudget();
  }

  /** Every metric of the config, one after the other; stops at the first map not read before the deadline. */
  private async walk(source: MapSource, scrape: Scrape): Promise<CollectResult> {
    const result: CollectResult = { families: [], errors: [], skipped: [], timedOut: false };
    const plans: [MetricPlan<MapMetricConfig>, () => Promise<MetricFamily>][] = [
      ...this.scalars.map((plan): [ScalarPlan, () => Promise<MetricFamily>] => [plan, () => this.collectScalar(source, plan, scrape)]),
      ...this.histograms.map((plan): [HistogramPlan, () => Promise<MetricFamily>] => [plan, () => this.collectHistogram(source, plan, scrape)]),
    ];
    for (const [plan, collect] of plans) {
      // Small maps are walked without a pause, so the deadline is also checked between metrics.
      if (performance.now() > scrape.deadline) return overBudget();
      try {
        result.families.push(await collect());
      } catch (error) {
        if (error instanceof OverBudget) return overBudget();
        if (error instanceof SeriesLimitExceeded) result.skipped.push({ metric: plan.config.name, reason: 'series_limit', limit: error.limit });
        else result.errors.push({ metric: plan.config.name, error: toError(error) });
      }
    }
    return result;
  }

  /** One metric's map read and walked into its series table. */
  private async collectTable(source: MapSource, { config, keyDecoder, table }: MetricPlan<MapMetricConfig>, scrape: Scrape, sum?: ValueField & { column: number }): Promise<SeriesView> {
    // A map with more keys than the series limit is refused unread past it: a flood of keys costs one
    // limit's worth of buffer, not the map's (counted in keys, before decoders skip or fold any).
    const { maxSeries } = table;
    const read = source.readMap(this.config.name, config.map, maxSeries === Infinity ? {} : { maxEntries: maxSeries + 1 });
    const dump = await readBefore(read, scrape.deadline);
    if (dump.truncated || dump.count > maxSeries) throw new SeriesLimitExceeded(maxSeries);
    const kind = keyDecoder.bucketLabel >= 0 ? 'histogram' : 'counter';
    const entries = mapEntries(dump, { labels: config.labels, labelBytes: keyDecoder.labelBytes, kind, value: config.value }, this.littleEndian);
    return table.collect(entries, SLICING, sum && { column: sum.column, value: entries.reader(sum) });
  }

  private async collectScalar(source: MapSource, plan: ScalarPlan, scrape: Scrape): Promise<MetricFamily> {
    const { labels, values } = await this.collectTable(source, plan, scrape);
    return columnarFamily(`${METRIC_NAMESPACE}_${plan.config.name}`, plan.config.help, plan.type, { labelNames: plan.keyDecoder.labelNames, labels, values });
  }

  private async collectHistogram(source: MapSource, plan: HistogramPlan, scrape: Scrape): Promise<MetricFamily> {
    checkBucketRange(plan.config);
    const { sum } = plan.config;
    const view = await this.collectTable(source, plan, scrape, sum && { ...sum, column: plan.shape.sumColumn });
    return tableHistogramFamily(`${METRIC_NAMESPACE}_${plan.config.name}`, plan.config.help, plan.keyDecoder.labelNames, view, plan.shape);
  }
}
