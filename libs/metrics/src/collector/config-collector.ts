import type { Config, CounterConfig, HistogramConfig } from '../config/types';
import type { DecoderRegistry } from '../decoders/registry';
import type { HistogramSeries, MapSource, MetricFamily, ScalarSeries } from '../model';
import { reconstructHistogram } from './histogram';
import { KeyDecoder } from './key-decoder';
import { visitMapEntries } from './map-entries';

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

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Reads the maps of one config and turns them into metric families, one scrape per `collect` call. */
export class ConfigCollector {
  private readonly counters: MetricPlan<CounterConfig>[];
  private readonly histograms: MetricPlan<HistogramConfig>[];
  private readonly littleEndian: boolean;

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
    // perf_event_array counters are event streams, counted by the exporter as records arrive.
    this.counters = config.metrics.counters
      .filter((counter) => !counter.perfEventArray)
      .map((counter) => ({
        config: counter,
        keyDecoder: new KeyDecoder(decoders, { labels: counter.labels, lastLabelIsBucket: false, ...cacheOptions }),
      }));
    this.histograms = config.metrics.histograms.map((histogram) => ({
      config: histogram,
      keyDecoder: new KeyDecoder(decoders, { labels: histogram.labels, lastLabelIsBucket: true, ...cacheOptions }),
    }));
  }

  async collect(source: MapSource): Promise<CollectResult> {
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

  private async collectCounter(source: MapSource, { config, keyDecoder }: MetricPlan<CounterConfig>): Promise<MetricFamily> {
    const dump = await source.readMap(this.config.name, config.name);
    const series: (ScalarSeries & { value: number })[] = [];
    const labelNames = keyDecoder.labelNames;
    const pass = ++passCounter;
    // Keys with equal labels share one DecodedKey (see KeyDecoder), so marking it with the pass is enough
    // to add them up: no per-scrape lookup table over a million keys.
    visitMapEntries(dump, config.labels, keyDecoder, this.littleEndian, (key, value) => {
      if (key.pass === pass) {
        (series[key.seriesIndex] as ScalarSeries & { value: number }).value += value;
      } else {
        key.pass = pass;
        key.seriesIndex = series.length;
        series.push({ labelNames, labelValues: key.labelValues, value });
      }
    });
    return { name: `${METRIC_NAMESPACE}_${config.name}`, help: config.help, type: 'counter', series };
  }

  private async collectHistogram(source: MapSource, { config, keyDecoder }: MetricPlan<HistogramConfig>): Promise<MetricFamily> {
    const dump = await source.readMap(this.config.name, config.name);
    const groups = new Map<string, { labelValues: string[]; counts: Map<number, number> }>();
    visitMapEntries(dump, config.labels, keyDecoder, this.littleEndian, (key, value) => {
      let group = groups.get(key.seriesKey);
      if (!group) {
        group = { labelValues: key.labelValues, counts: new Map() };
        groups.set(key.seriesKey, group);
      }
      group.counts.set(key.bucket, (group.counts.get(key.bucket) ?? 0) + value);
    });
    const series: HistogramSeries[] = [...groups.values()].map((group) => ({
      labelNames: keyDecoder.labelNames,
      labelValues: group.labelValues,
      ...reconstructHistogram(group.counts, config),
    }));
    return { name: `${METRIC_NAMESPACE}_${config.name}`, help: config.help, type: 'histogram', series };
  }
}
