import type { Config, CounterConfig, HistogramConfig } from '../config/types';
import { SKIP } from '../decoders/decoder';
import type { DecoderRegistry } from '../decoders/registry';
import type { HistogramSeries, MapSource, MetricFamily } from '../model';
import { threadSlicer } from '../time-slice';
import { columnarFamily } from './columnar-family';
import { CounterPasses } from './counter-passes';
import { reconstructHistogram } from './histogram';
import { KeyDecoder } from './key-decoder';
import { forEachSliced, mapEntries, type Slicing } from './map-entries';

export interface CollectorOptions {
  /**
   * Decoded keys cached per metric. Upstream caches forever; here a counter keeps the keys of its last scrape
   * (a key that left the map is forgotten with it) and a histogram an approximate LRU, so short-lived keys
   * (pids, recycled cgroup ids) do not grow memory without limit. This bounds both; 0 means unbounded, like
   * upstream's `--config.cache-size`. Default DEFAULT_LABEL_CACHE_SIZE.
   */
  labelCacheSize?: number;
  /** Keys whose labels a decoder rejected, remembered per metric to skip decoding them again. 0 (default) = off. */
  skipCacheSize?: number;
  /**
   * Longest a scrape of this config may take, in milliseconds, read and decode included; 0 (default) = no
   * limit. A scrape over it is abandoned as a whole (`CollectResult.timedOut`), so one config fed a hostile
   * or huge map cannot hold the scrape of the others.
   */
  budgetMs?: number;
}

/** Big enough for a 1M-entry map to stay fully cached across scrapes, bounded for the rest. */
export const DEFAULT_LABEL_CACHE_SIZE = 1 << 20;

const METRIC_NAMESPACE = 'ebpf_exporter';

export interface CollectResult {
  families: MetricFamily[];
  /** Metrics skipped in this scrape because their map could not be read or decoded. */
  errors: { metric: string; error: Error }[];
  /** The scrape ran over its budget: no families, and the collector's state is that of the scrape before. */
  timedOut: boolean;
}

/** Thrown out of a map walk that ran past its scrape's budget; nothing it had built so far is kept. */
class OverBudget extends Error {}

interface MetricPlan<C extends CounterConfig | HistogramConfig> {
  config: C;
  keyDecoder: KeyDecoder;
}

/** One scrape's deadline, and the slicing that enforces it in map walks. */
interface Scrape {
  deadline: number;
  slicing: Slicing;
}

interface CounterPlan extends MetricPlan<CounterConfig> {
  passes: CounterPasses;
}

/**
 * Map walks check the time every 1024 entries (a few milliseconds of cold decoding) and give the event loop
 * a turn when the thread's slice is used up, so a million-entry map leaves the server free to answer other
 * requests (and signals) while it is collected. The same check ends a walk that ran past its deadline: the
 * passes assign their state only once a walk is complete, so an abandoned walk leaves it as it was.
 */
function slicingUntil(deadline: number): Slicing {
  return {
    entries: 1024,
    pause: () => {
      if (performance.now() > deadline) throw new OverBudget();
      return threadSlicer.pause();
    },
  };
}

/** Waits for `read` at most until `deadline`: a read still running in the addon's worker is left to end on its own. */
async function readBefore<T>(read: Promise<T>, deadline: number): Promise<T> {
  if (deadline === Infinity) return read;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OverBudget()), Math.max(0, deadline - performance.now()));
  });
  try {
    return await Promise.race([read, late]);
  } finally {
    clearTimeout(timer);
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Reads the maps of one config and turns them into metric families, one scrape per `collect` call. */
export class ConfigCollector {
  private readonly counters: CounterPlan[];
  private readonly histograms: MetricPlan<HistogramConfig>[];
  private readonly littleEndian: boolean;
  private readonly budgetMs: number;

  constructor(
    private readonly config: Config,
    decoders: DecoderRegistry,
    options: CollectorOptions = {},
  ) {
    const cacheOptions = {
      labelCacheSize: options.labelCacheSize === 0 ? Infinity : (options.labelCacheSize ?? DEFAULT_LABEL_CACHE_SIZE),
      skipCacheSize: options.skipCacheSize ?? 0,
    };
    this.littleEndian = decoders.littleEndian;
    this.budgetMs = options.budgetMs ?? 0;
    const passOptions = { cacheLimit: cacheOptions.labelCacheSize, skipCache: cacheOptions.skipCacheSize > 0 };
    // perf_event_array counters are event streams, counted by the exporter as records arrive.
    this.counters = config.metrics.counters
      .filter((counter) => !counter.perfEventArray)
      .map((counter) => {
        // Counters decode uncached: their passes are the cache.
        const keyDecoder = new KeyDecoder(decoders, { labels: counter.labels, lastLabelIsBucket: false, labelCacheSize: 0, skipCacheSize: 0 });
        const passes = new CounterPasses((bytes, offset) => keyDecoder.decodeLabels(bytes, offset), passOptions);
        return { config: counter, keyDecoder, passes };
      });
    this.histograms = config.metrics.histograms.map((histogram) => ({
      config: histogram,
      keyDecoder: new KeyDecoder(decoders, { labels: histogram.labels, lastLabelIsBucket: true, ...cacheOptions }),
    }));
  }

  /** The scrape in progress: scrapes of one collector run one after the other (see `collect`). */
  private running: Promise<unknown> = Promise.resolve();

  /**
   * One scrape. A scrape yields to the event loop while it walks large maps, so two callers (a Prometheus
   * scrape and the dashboard's sampler) could otherwise interleave on the same recorded passes; calls are
   * queued instead.
   */
  collect(source: MapSource): Promise<CollectResult> {
    const scrape = this.running.then(() => this.collectNow(source));
    this.running = scrape.catch(() => undefined);
    return scrape;
  }

  private async collectNow(source: MapSource): Promise<CollectResult> {
    const deadline = this.budgetMs > 0 ? performance.now() + this.budgetMs : Infinity;
    const scrape = { deadline, slicing: slicingUntil(deadline) };
    const result: CollectResult = { families: [], errors: [], timedOut: false };
    const plans: [MetricPlan<CounterConfig | HistogramConfig>, () => Promise<MetricFamily>][] = [
      ...this.counters.map((plan): [CounterPlan, () => Promise<MetricFamily>] => [plan, () => this.collectCounter(source, plan, scrape)]),
      ...this.histograms.map((plan): [MetricPlan<HistogramConfig>, () => Promise<MetricFamily>] => [plan, () => this.collectHistogram(source, plan, scrape)]),
    ];
    const overBudget = { families: [], errors: [], timedOut: true };
    for (const [plan, collect] of plans) {
      // Small maps are walked without a pause, so the deadline is also checked between metrics.
      if (performance.now() > deadline) return overBudget;
      try {
        result.families.push(await collect());
      } catch (error) {
        if (error instanceof OverBudget) return overBudget;
        result.errors.push({ metric: plan.config.name, error: toError(error) });
      }
    }
    return result;
  }

  private async collectCounter(source: MapSource, { config, keyDecoder, passes }: CounterPlan, scrape: Scrape): Promise<MetricFamily> {
    const dump = await readBefore(source.readMap(this.config.name, config.name), scrape.deadline);
    const entries = mapEntries(dump, config.labels, keyDecoder.labelBytes, this.littleEndian);
    const { labels, values } = await passes.collect(entries, scrape.slicing);
    return columnarFamily(`${METRIC_NAMESPACE}_${config.name}`, config.help, 'counter', { labelNames: keyDecoder.labelNames, labels, values });
  }

  private async collectHistogram(source: MapSource, { config, keyDecoder }: MetricPlan<HistogramConfig>, scrape: Scrape): Promise<MetricFamily> {
    const dump = await readBefore(source.readMap(this.config.name, config.name), scrape.deadline);
    const groups = new Map<string, { labelValues: string[]; labelText: string; counts: Map<number, number> }>();
    const entries = mapEntries(dump, config.labels, keyDecoder.labelBytes, this.littleEndian);
    await forEachSliced(entries.count, scrape.slicing, (entry) => {
      const key = keyDecoder.decode(entries.keys, entry * entries.keySize, entries.keySize);
      if (key === SKIP) return;
      let group = groups.get(key.labelText);
      if (!group) {
        group = { labelValues: key.labelValues, labelText: key.labelText, counts: new Map() };
        groups.set(key.labelText, group);
      }
      group.counts.set(key.bucket, (group.counts.get(key.bucket) ?? 0) + entries.value(entry));
    });
    const series: HistogramSeries[] = [...groups.values()].map((group) => ({
      labelNames: keyDecoder.labelNames,
      labelValues: group.labelValues,
      labelText: group.labelText,
      ...reconstructHistogram(group.counts, config),
    }));
    return { name: `${METRIC_NAMESPACE}_${config.name}`, help: config.help, type: 'histogram', series };
  }
}
