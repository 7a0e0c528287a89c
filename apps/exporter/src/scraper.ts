// One scrape: every config's maps are read and decoded, the exporter's own metrics and the process
// metrics are added, and everything is returned as one list of families, in no particular order (the
// exposition orders them, see sortFamilies). A metric whose map cannot be read or decoded is left out of
// this scrape and counted, never failing the whole scrape.
import { readFileSync } from 'node:fs';
import { ConfigCollector, type DecoderRegistry, type MapSource, type MetricFamily, type ReadMapOptions } from '@ebpf-exporter/metrics';
import type { AttachedConfig } from './bpf-runtime';
import { builtinFamilies, metricKey, type BuildInfo, type ProgramSnapshot, type ReloadStatus } from './builtin-metrics';
import type { Logger } from './logger';

export interface FamilySource {
  families(): Promise<MetricFamily[]>;
}

export interface ScraperOptions {
  decoders: DecoderRegistry;
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
  /** The last reload's outcome, for its two built-in gauges. */
  reloadStatus: () => ReloadStatus;
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

interface ServedConfig {
  attached: AttachedConfig;
  collector: ConfigCollector;
}

/** What one scrape reads, from start to end, even when a reload serves another set meanwhile. */
interface ServedSet {
  configs: readonly ServedConfig[];
  mapSource: MapSource;
  mapMetrics: readonly { config: string; metric: string }[];
  /** Work reading this set's maps now: scrapes, --debug's map dumps. */
  readers: Set<Promise<unknown>>;
}

export class Scraper implements FamilySource {
  private served: ServedSet = { configs: [], mapSource: new NativeMapSource([]), mapMetrics: [], readers: new Set() };
  private readonly decoderErrors = new Map<string, number>();
  /** Scrapes that left a config out as a whole, by config and reason. */
  private readonly skippedScrapes = new Map<string, number>();
  /** Scrapes that left a metric out for passing its series limit, by metricKey. */
  private readonly seriesLimitSkips = new Map<string, number>();
  private readonly bpfStatsEnabled: () => boolean;
  /** The collection running now, shared by the scrapes that arrive meanwhile (see families). */
  private collecting: { served: ServedSet; families: Promise<MetricFamily[]> } | undefined;

  /** Serves nothing until `serve` is called. */
  constructor(private readonly options: ScraperOptions) {
    this.bpfStatsEnabled = options.bpfStatsEnabled ?? readBpfStatsEnabled;
  }

  /**
   * Serves `attached` from the next scrape on. A config whose Config object is the one served now keeps its
   * collector (series tables, label caches), so an unchanged config costs nothing. Settles once no scrape
   * reads a map of the configs no longer served: only then may their objects be closed (a read of a closed
   * map's descriptor could reach whatever the kernel gave that number to next).
   */
  serve(attached: readonly AttachedConfig[]): Promise<void> {
    const current = new Map(this.served.configs.map((served) => [served.attached.config, served]));
    const configs = attached.map((entry): ServedConfig => {
      const kept = current.get(entry.config);
      if (kept?.attached.object === entry.object) return kept;
      return {
        attached: entry,
        collector: new ConfigCollector(entry.config, this.options.decoders, {
          labelCacheSize: this.options.labelCacheSize,
          skipCacheSize: this.options.skipCacheSize,
          maxSeries: this.options.maxSeries,
          budgetMs: this.options.scrapeTimeoutMs,
        }),
      };
    });
    const previous = this.served;
    const retired = previous.configs.filter((served) => !configs.includes(served));
    this.served = {
      configs,
      mapSource: new NativeMapSource(attached),
      mapMetrics: configs.flatMap(({ attached: { config }, collector }) => collector.mapMetrics.map((metric) => ({ config: config.name, metric }))),
      readers: new Set(),
    };
    // Counts of a config no longer served go with it, as its series do.
    const names = new Set(attached.map(({ config }) => config.name));
    for (const counts of [this.decoderErrors, this.skippedScrapes]) for (const name of counts.keys()) if (!names.has(name)) counts.delete(name);
    const metricKeys = new Set(this.served.mapMetrics.map(({ config, metric }) => metricKey(config, metric)));
    for (const key of this.seriesLimitSkips.keys()) if (!metricKeys.has(key)) this.seriesLimitSkips.delete(key);
    const settled = (work: Promise<unknown>) => work.catch(() => undefined);
    return Promise.all([...[...previous.readers].map(settled), ...retired.map(({ collector }) => collector.idle())]).then(() => undefined);
  }

  /** Runs `work` on the set served now; a reload closes none of its objects until `work` has settled. */
  read<T>(work: (attached: readonly AttachedConfig[], mapSource: MapSource) => Promise<T>): Promise<T> {
    const served = this.served;
    const running = work(served.configs.map(({ attached }) => attached), served.mapSource);
    served.readers.add(running);
    const done = () => void served.readers.delete(running);
    running.then(done, done);
    return running;
  }

  /**
   * Scrapes that arrive while a collection of the set served now is running share it: a hundred clients at
   * once cost one read of every map, not a hundred collections and their memory. A scrape after a reload
   * never takes a collection of the set served before it.
   */
  families(): Promise<MetricFamily[]> {
    const served = this.served;
    if (this.collecting?.served === served) return this.collecting.families;
    const families = this.read(() => this.collect(served));
    const collecting = { served, families };
    this.collecting = collecting;
    const done = () => {
      if (this.collecting === collecting) this.collecting = undefined;
    };
    families.then(done, done);
    return families;
  }

  private async collect(served: ServedSet): Promise<MetricFamily[]> {
    const [collected, processFamilies, eventFamilies] = await Promise.all([
      Promise.all(served.configs.map(({ collector }) => collector.collect(served.mapSource))),
      this.options.processMetrics.families(),
      this.options.eventMetrics?.families() ?? [],
    ]);
    const families: MetricFamily[] = [];
    collected.forEach((result, index) => {
      const name = (served.configs[index] as ServedConfig).attached.config.name;
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
      configNames: served.configs.map(({ attached }) => attached.config.name),
      programs: programSnapshots(served.configs, bpfStatsEnabled),
      decoderErrors: this.decoderErrors,
      scrapeTimeouts: this.skippedScrapes,
      mapMetrics: served.mapMetrics,
      seriesLimitSkips: this.seriesLimitSkips,
      bpfStatsEnabled,
      build: this.options.build,
      reload: this.options.reloadStatus(),
    }));
    families.push(...processFamilies, ...eventFamilies);
    return families;
  }

  /** Counts one failure to decode a map, a perf event or a span of this config. */
  countDecoderError(config: string): void {
    this.decoderErrors.set(config, (this.decoderErrors.get(config) ?? 0) + 1);
  }
}

/** Run time and count are exported only with kernel.bpf_stats_enabled; without it the kernel is not asked (3% of a small scrape). */
function programSnapshots(served: readonly ServedConfig[], withStats: boolean): ProgramSnapshot[] {
  return served.flatMap(({ attached: { config, object, programs } }) => {
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
