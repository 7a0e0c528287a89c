// One scrape: every config's maps are read and decoded, the exporter's own metrics and the process
// metrics are added, and everything is returned as one list of families, in no particular order (the
// exposition orders them, see sortFamilies). A metric whose map cannot be read or decoded is left out of
// this scrape and counted, never failing the whole scrape.
import { readFileSync } from 'node:fs';
import { ConfigCollector, type DecoderRegistry, type MapSource, type MetricFamily, type ReadMapOptions } from '@ebpf-exporter/metrics';
import type { AttachedConfig } from './bpf-runtime';
import { builtinFamilies, metricKey, type BuildInfo, type ProgramSnapshot } from './builtin-metrics';
import type { Logger } from './logger';

export interface FamilySource {
  families(): Promise<MetricFamily[]>;
}

export interface ScraperOptions {
  attached: readonly AttachedConfig[];
  decoders: DecoderRegistry;
  mapSource: MapSource;
  processMetrics: FamilySource;
  /** perf_event_array counters, counted in-process from their perf buffers. */
  eventMetrics?: FamilySource;
  build: BuildInfo;
  log: Logger;
  labelCacheSize: number;
  skipCacheSize: number;
  /** Most series per metric (--config.max-series; 0 = no limit). */
  maxSeries: number;
  /** Longest one config's part of a scrape may take (ms); 0 = no limit. */
  scrapeTimeoutMs: number;
  /** Reads `kernel.bpf_stats_enabled`; checked on every scrape because an operator may flip it at run time. */
  bpfStatsEnabled?: () => boolean;
}

function readBpfStatsEnabled(): boolean {
  try {
    return readFileSync('/proc/sys/kernel/bpf_stats_enabled', 'utf8').trim() === '1';
  } catch {
    return false;
  }
}

export class Scraper implements FamilySource {
  private readonly collectors: { name: string; collector: ConfigCollector }[];
  private readonly decoderErrors = new Map<string, number>();
  /** Scrapes that left a config out as a whole, by config and reason. */
  private readonly skippedScrapes = new Map<string, number>();
  /** Scrapes that left a metric out for passing its series limit, by metricKey. */
  private readonly seriesLimitSkips = new Map<string, number>();
  private readonly mapMetrics: { config: string; metric: string }[];
  private readonly bpfStatsEnabled: () => boolean;

  constructor(private readonly options: ScraperOptions) {
    this.collectors = options.attached.map(({ config }) => ({
      name: config.name,
      collector: new ConfigCollector(config, options.decoders, {
        labelCacheSize: options.labelCacheSize,
        skipCacheSize: options.skipCacheSize,
        maxSeries: options.maxSeries,
        budgetMs: options.scrapeTimeoutMs,
      }),
    }));
    this.bpfStatsEnabled = options.bpfStatsEnabled ?? readBpfStatsEnabled;
    this.mapMetrics = this.collectors.flatMap(({ name, collector }) => collector.mapMetrics.map((metric) => ({ config: name, metric })));
  }

  async families(): Promise<MetricFamily[]> {
    const [collected, processFamilies, eventFamilies] = await Promise.all([
      Promise.all(this.collectors.map(({ collector }) => collector.collect(this.options.mapSource))),
      this.options.processMetrics.families(),
      this.options.eventMetrics?.families() ?? [],
    ]);
    const families: MetricFamily[] = [];
    collected.forEach((result, index) => {
      const name = (this.collectors[index] as { name: string }).name;
      if (result.timedOut) {
        this.skippedScrapes.set(name, (this.skippedScrapes.get(name) ?? 0) + 1);
        this.options.log.warn(`config ${name}: left out of this scrape, it took longer than --config.scrape-timeout (${this.options.scrapeTimeoutMs} ms)`);
      }
      for (const { metric, limit } of result.skipped) {
        const key = metricKey(name, metric);
        this.seriesLimitSkips.set(key, (this.seriesLimitSkips.get(key) ?? 0) + 1);
        this.options.log.warn(`config ${name}: metric ${metric} left out of this scrape, it has more than ${limit} series (--config.max-series or its max_series)`);
      }
      for (const { metric, error } of result.errors) {
        this.countDecoderError(name);
        this.options.log.debug(`config ${name}: metric ${metric} skipped this scrape: ${error.message}`);
      }
      families.push(...result.families);
    });
    const bpfStatsEnabled = this.bpfStatsEnabled();
    families.push(...builtinFamilies({
      configNames: this.collectors.map((c) => c.name),
      programs: this.programSnapshots(bpfStatsEnabled),
      decoderErrors: this.decoderErrors,
      scrapeTimeouts: this.skippedScrapes,
      mapMetrics: this.mapMetrics,
      seriesLimitSkips: this.seriesLimitSkips,
      bpfStatsEnabled,
      build: this.options.build,
    }));
    families.push(...processFamilies, ...eventFamilies);
    return families;
  }

  /** Counts one failure to decode a map, a perf event or a span of this config. */
  countDecoderError(config: string): void {
    this.decoderErrors.set(config, (this.decoderErrors.get(config) ?? 0) + 1);
  }

  /** Run time and count are exported only with kernel.bpf_stats_enabled; without it the kernel is not asked (3% of a small scrape). */
  private programSnapshots(withStats: boolean): ProgramSnapshot[] {
    return this.options.attached.flatMap(({ config, object, programs }) => {
      const fresh = new Map(withStats ? object.programs().map((p) => [p.name, p]) : []);
      return programs.map((attachedProgram) => {
        const stats = fresh.get(attachedProgram.name) ?? attachedProgram;
        return {
          config: config.name,
          name: attachedProgram.name,
          id: attachedProgram.id,
          tag: attachedProgram.tag,
          attached: attachedProgram.attached,
          runTimeNs: stats.runTimeNs,
          runCount: stats.runCount,
        };
      });
    });
  }
}

/** Reads maps straight from the loaded objects through the native addon. */
export class NativeMapSource implements MapSource {
  private readonly objects: Map<string, AttachedConfig['object']>;

  constructor(attached: readonly AttachedConfig[]) {
    this.objects = new Map(attached.map(({ config, object }) => [config.name, object]));
  }

  /** One BpfMap per map, described by the addon once (describing it again was 2% of a small scrape in a profile). */
  private readonly maps = new Map<string, ReturnType<AttachedConfig['object']['map']>>();

  async readMap(config: string, map: string, options: ReadMapOptions = {}) {
    const key = `${config}\0${map}`;
    let bpfMap = this.maps.get(key);
    if (!bpfMap) {
      const object = this.objects.get(config);
      if (!object) throw new Error(`no loaded object for config ${config}`);
      bpfMap = object.map(map);
      this.maps.set(key, bpfMap);
    }
    return bpfMap.read(options);
  }
}
