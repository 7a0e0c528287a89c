import type { Config, CounterConfig, HistogramConfig } from '../config/types';
import type { DecoderRegistry } from '../decoders/registry';
import { threadSlicer } from '../time-slice';
import type { HistogramSeries, MapDump, MapSource, MetricFamily, ScalarSeries } from '../model';
import { columnarFamily } from './columnar-family';
import { recordReplay, replayValues, sameBytes, type CounterReplay } from './counter-replay';
import { reconstructHistogram } from './histogram';
import { KeyDecoder, type DecodedKey } from './key-decoder';
import { hasCpuLabel } from './key-layout';
import { visitMapEntries, type Slicing } from './map-entries';
import { orderSeries, type SeriesOrdering } from './series-order';

export interface CollectorOptions {
  /**
   * Decoded keys cached per metric (approximate LRU). Upstream caches forever; a bound keeps short-lived keys
   * (pids, recycled cgroup ids) from growing memory without limit. 0 means unbounded, like upstream's
   * `--config.cache-size`. Default DEFAULT_LABEL_CACHE_SIZE.
   */
  labelCacheSize?: number;
  /** Keys whose labels a decoder rejected, remembered per metric to skip decoding them again. 0 (default) = off. */
  skipCacheSize?: number;
}

/** Big enough for a 1M-entry map to stay fully cached across scrapes, bounded for the rest. */
export const DEFAULT_LABEL_CACHE_SIZE = 1 << 20;

const METRIC_NAMESPACE = 'ebpf_exporter';

/** Numbers each pass over a counter map; unique across collectors, so pass marks never collide. */
let passCounter = 0;

export interface CollectResult {
  families: MetricFamily[];
  /** Metrics skipped in this scrape because their map could not be read or decoded. */
  errors: { metric: string; error: Error }[];
}

interface MetricPlan<C extends CounterConfig | HistogramConfig> {
  config: C;
  keyDecoder: KeyDecoder;
}

interface CounterPlan extends MetricPlan<CounterConfig> {
  /** How the last scrape ordered the series (see orderSeries). */
  ordering: SeriesOrdering;
  /** The last pass, to replay while the map's keys do not change (see counter-replay.ts). */
  replay: CounterReplay | undefined;
}

/**
 * Map walks check the time every 1024 entries (a few milliseconds of cold decoding) and give the event loop
 * a turn when the thread's slice is used up, so a million-entry map leaves the server free to answer other
 * requests while it is collected.
 */
const SLICING: Slicing = { entries: 1024, pause: () => threadSlicer.pause() };

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Reads the maps of one config and turns them into metric families, one scrape per `collect` call. */
export class ConfigCollector {
  private readonly counters: CounterPlan[];
  private readonly histograms: MetricPlan<HistogramConfig>[];
  private readonly littleEndian: boolean;
  private readonly labelCacheSize: number;

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
    this.labelCacheSize = cacheOptions.labelCacheSize;
    // perf_event_array counters are event streams, counted by the exporter as records arrive.
    this.counters = config.metrics.counters
      .filter((counter) => !counter.perfEventArray)
      .map((counter) => ({
        config: counter,
        keyDecoder: new KeyDecoder(decoders, { labels: counter.labels, lastLabelIsBucket: false, ...cacheOptions }),
        ordering: { pass: 0, count: 0 },
        replay: undefined,
      }));
    this.histograms = config.metrics.histograms.map((histogram) => ({
      config: histogram,
      keyDecoder: new KeyDecoder(decoders, { labels: histogram.labels, lastLabelIsBucket: true, ...cacheOptions }),
    }));
  }

  /** The scrape in progress: scrapes of one collector run one after the other (see `collect`). */
  private running: Promise<unknown> = Promise.resolve();

  /**
   * One scrape. A scrape yields to the event loop while it walks large maps, so two callers (a Prometheus
   * scrape and the dashboard's sampler) could otherwise interleave on the same cached keys and pass marks;
   * calls are queued instead.
   */
  collect(source: MapSource): Promise<CollectResult> {
    const scrape = this.running.then(() => this.collectNow(source));
    this.running = scrape.catch(() => undefined);
    return scrape;
  }

  private async collectNow(source: MapSource): Promise<CollectResult> {
    const result: CollectResult = { families: [], errors: [] };
    for (const plan of this.counters) {
      try {
        result.families.push(await this.collectCounter(source, plan));
      } catch (error) {
        result.errors.push({ metric: plan.config.name, error: toError(error) });
      }
    }
    for (const plan of this.histograms) {
      try {
        result.families.push(await this.collectHistogram(source, plan));
      } catch (error) {
        result.errors.push({ metric: plan.config.name, error: toError(error) });
      }
    }
    return result;
  }

  private async collectCounter(source: MapSource, plan: CounterPlan): Promise<MetricFamily> {
    const { config, keyDecoder } = plan;
    const dump = await source.readMap(this.config.name, config.name);
    const name = `${METRIC_NAMESPACE}_${config.name}`;
    const { replay } = plan;
    if (replay && sameBytes(replay.keys, dump.keys)) {
      const values = await replayValues(replay, dump, this.littleEndian, SLICING);
      return columnarFamily(name, config.help, 'counter', { labelNames: keyDecoder.labelNames, labelSets: replay.series, values });
    }

    const series: ScalarSeries[] = [];
    const keys: DecodedKey[] = [];
    const labelNames = keyDecoder.labelNames;
    const pass = ++passCounter;
    const passIndexOfEntry = new Int32Array(dump.count);
    let visits = 0;
    // Keys with equal labels share one DecodedKey (see KeyDecoder), so marking it with the pass is enough
    // to add them up: no per-scrape lookup table over a million keys.
    const visit = (key: DecodedKey, value: number, entry: number) => {
      visits++;
      if (key.pass === pass) {
        (series[key.seriesIndex] as ScalarSeries).value += value;
      } else {
        key.pass = pass;
        key.seriesIndex = series.length;
        series.push({ labelNames, labelValues: key.labelValues, labelText: key.labelText, value });
        keys.push(key);
      }
      passIndexOfEntry[entry] = key.seriesIndex;
    };
    await visitMapEntries(dump, config.labels, keyDecoder, this.littleEndian, visit, SLICING);
    const { sorted, ordering } = orderSeries(series, keys, plan.ordering, pass);
    plan.ordering = ordering;
    plan.replay = this.replayable(dump, config, visits) ? recordReplay(dump, passIndexOfEntry, keys) : undefined;
    return { name, help: config.help, type: 'counter', series: sorted };
  }

  /**
   * A replay must give what a full pass would: every entry one series (no per-CPU `cpu` series, no label-less
   * index-0 read), no key a decoder skipped (without the skip cache a skipped key is decoded again every
   * pass), and every key still in the label cache (an evicted key would be decoded again).
   */
  private replayable(dump: MapDump, config: CounterConfig, visits: number): boolean {
    return config.labels.length > 0 && !hasCpuLabel(dump.type, config.labels) && visits === dump.count && dump.count <= this.labelCacheSize;
  }

  private async collectHistogram(source: MapSource, { config, keyDecoder }: MetricPlan<HistogramConfig>): Promise<MetricFamily> {
    const dump = await source.readMap(this.config.name, config.name);
    const groups = new Map<string, { labelValues: string[]; labelText: string; counts: Map<number, number> }>();
    await visitMapEntries(dump, config.labels, keyDecoder, this.littleEndian, (key, value) => {
      let group = groups.get(key.labelText);
      if (!group) {
        group = { labelValues: key.labelValues, labelText: key.labelText, counts: new Map() };
        groups.set(key.labelText, group);
      }
      group.counts.set(key.bucket, (group.counts.get(key.bucket) ?? 0) + value);
    }, SLICING);
    const series: HistogramSeries[] = [...groups.values()].map((group) => ({
      labelNames: keyDecoder.labelNames,
      labelValues: group.labelValues,
      labelText: group.labelText,
      ...reconstructHistogram(group.counts, config),
    }));
    return { name: `${METRIC_NAMESPACE}_${config.name}`, help: config.help, type: 'histogram', series };
  }
}
