// The scrape benchmark proper: for each fixture size, the real exporter loads the fixture object, the
// C map-tool fills the map inside the exporter's own BPF object, and the benchmark scrapes /metrics over
// HTTP while measuring the event loop, other requests, memory, and the C batch-read floor of the same map.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildServer } from './child-server';
import { startExporter, type ExporterUnderTest } from './exporter-under-test';
import {
  COUNTER_CONFIG,
  counterSeries,
  countSamples,
  HISTOGRAM_CONFIG,
  HISTOGRAM_LABEL_SETS,
  HISTOGRAM_SLOTS,
} from './fixture-series';
import { slowestAnswerDuring, timedGet } from './http-client';
import { batchReadFloor, fillCounterMap, fillHistogramMap } from './native-tools';
import { BENCH_BUILD, REPO_ROOT } from './paths';
import { median, summarise, type Summary } from './stats';

export interface FixtureCase {
  /** Also the suffix of bench/build/scrape-fixture-<name>.bpf.o. */
  name: string;
  kind: 'counter' | 'histogram';
  /** Map entries: counter series, or label sets x slots for the histogram. */
  entries: number;
  /** Series in the exposition. */
  series: number;
}

export const COUNTER_CASES: readonly FixtureCase[] = [
  { name: '1k', kind: 'counter', entries: 1_000, series: 1_000 },
  { name: '10k', kind: 'counter', entries: 10_000, series: 10_000 },
  { name: '100k', kind: 'counter', entries: 100_000, series: 100_000 },
  { name: '1m', kind: 'counter', entries: 1_000_000, series: 1_000_000 },
];
export const HISTOGRAM_CASE: FixtureCase = {
  name: 'hist',
  kind: 'histogram',
  entries: HISTOGRAM_LABEL_SETS * HISTOGRAM_SLOTS,
  series: HISTOGRAM_LABEL_SETS,
};

export interface ScrapeOptions {
  /** Timed scrapes after the first (cold) one and one warm-up. */
  scrapes: number;
  /** Stop timing scrapes after this long even if fewer than `scrapes` ran (the count is reported). */
  budgetMs: number;
  /** Whole-map C reads for the floor. */
  floorRounds: number;
  /** Scrapes of the memory soak; 0 skips it. */
  soakScrapes: number;
  /** How often another request is sent while a scrape runs. */
  probeIntervalMs: number;
  /** Extra exporter flags, e.g. HISTORY_OFF. */
  exporterFlags: readonly string[];
}

/**
 * Turns off the dashboard's in-memory history (pointing the dashboard at a Prometheus instead): it records
 * the scrapes (reading the maps itself only when none came for a resolution) and holds up to
 * --dashboard.history-memory of samples, which is not the scrape path under test. One 1M run keeps the
 * default flags to show what the history costs. And no --config.scrape-timeout
 * (default 5 s): the cold scrape of the 1M map takes about that long on this machine, and one over the
 * budget is left out whole, so the case would measure nothing.
 */
export const NO_SCRAPE_TIMEOUT = '--config.scrape-timeout=0';
export const HISTORY_OFF = ['--dashboard.prometheus-url=http://127.0.0.1:9', NO_SCRAPE_TIMEOUT] as const;
/** The exporter's defaults but for the scrape timeout (see HISTORY_OFF). */
export const HISTORY_ON = [NO_SCRAPE_TIMEOUT] as const;

/** Whether a case ran with the dashboard's history sampler off. */
export const historyOff = (flags: readonly string[]): boolean => flags.includes(HISTORY_OFF[0]);

export interface SoakResult {
  scrapes: number;
  /** Median RSS over the first tenth of the soak (after the label cache is warm) and over the last tenth. */
  startRssMiB: number;
  endRssMiB: number;
  growthPercent: number;
  /**
   * Retained memory only: the median of the RSS right after each of GCS_PER_TENTH forced full GCs spread
   * over the first tenth, and over the last tenth.
   */
  afterGcStartRssMiB: number;
  afterGcEndRssMiB: number;
  afterGcGrowthPercent: number;
}

/**
 * Forced GCs per tenth of the soak. One reading after one GC swung by +-10% between runs (V8 and malloc
 * keep freed pages for a while, depending on timing): a 4,000-scrape soak read 148 MiB at its start and
 * 108 at its end. The median of several spaced readings follows what is really retained.
 */
export const GCS_PER_TENTH = 5;

export interface ScrapeCaseResult {
  fixture: FixtureCase;
  /** The exporter flags beyond config and address (empty: defaults). */
  flags: readonly string[];
  bodyMiB: number;
  /** First scrape: empty label cache. */
  coldMs: number;
  scrapeMs: Summary;
  /** The same scrape with `Accept-Encoding: gzip`, as Prometheus sends it (GZIP_SCRAPES of them). */
  gzipScrapeMs: Summary;
  /** CPU time the exporter spent per scrape (all threads; the landing-page probes add a little). */
  scrapeCpuMs: Summary;
  floorMs: Summary;
  floorCpuMs: Summary;
  /** Longest event-loop stall of the exporter over all timed scrapes. */
  maxLoopDelayMs: number;
  /** Slowest landing-page answer while a scrape was running. */
  slowestOtherRequestMs: number;
  rssMiB: number;
  peakRssMiB: number;
  soak?: SoakResult;
}

/** Scrapes with gzip after the timed ones: enough for a median, few enough not to lengthen the 1M case much. */
const GZIP_SCRAPES = 5;

/** A scrape slower than this is a failure: the 1M case takes seconds, not minutes. */
const SCRAPE_TIMEOUT_MS = 300_000;

/** Writes the fixture's config and object into `dir`; returns the config name. */
export function writeConfig(dir: string, fixture: FixtureCase): string {
  const name = `bench_${fixture.name}`;
  writeFileSync(join(dir, `${name}.yaml`), fixture.kind === 'counter' ? COUNTER_CONFIG : HISTOGRAM_CONFIG);
  copyFileSync(join(BENCH_BUILD, `scrape-fixture-${fixture.name}.bpf.o`), join(dir, `${name}.bpf.o`));
  return name;
}

function expectSeries(text: string, fixture: FixtureCase, who: string): void {
  const sample = fixture.kind === 'counter' ? counterSeries(0).metricName : 'ebpf_exporter_op_latency_seconds_count';
  const found = countSamples(text, sample);
  if (found !== fixture.series) throw new Error(`${who}: expected ${fixture.series} series of ${sample}, the scrape had ${found}`);
}

async function fill(exporter: ExporterUnderTest, fixture: FixtureCase): Promise<string> {
  if (fixture.kind === 'counter') {
    await fillCounterMap(exporter.pid, 'ops_total', fixture.entries);
    return 'ops_total';
  }
  await fillHistogramMap(exporter.pid, 'op_latency_seconds', HISTOGRAM_LABEL_SETS, HISTOGRAM_SLOTS);
  return 'op_latency_seconds';
}

async function soak(exporter: ExporterUnderTest, metricsUrl: string, scrapes: number): Promise<SoakResult> {
  const rss: number[] = [];
  const tenth = Math.max(1, Math.floor(scrapes / 10));
  const gcEvery = Math.max(1, Math.floor(tenth / GCS_PER_TENTH));
  const afterGc: { first: number[]; last: number[] } = { first: [], last: [] };
  for (let i = 0; i < scrapes; i++) {
    const response = await timedGet(metricsUrl, { timeoutMs: SCRAPE_TIMEOUT_MS });
    if (response.status !== 200) throw new Error(`soak scrape ${i} answered ${response.status}`);
    rss.push(exporter.memory().rssMiB);
    const inTenth = i < tenth ? afterGc.first : i >= scrapes - tenth ? afterGc.last : undefined;
    if (inTenth && (i % tenth) % gcEvery === gcEvery - 1) {
      await exporter.collectGarbage();
      inTenth.push(exporter.memory().rssMiB);
    }
  }
  const growth = (from: number, to: number) => ((to - from) / from) * 100;
  const startRssMiB = median(rss.slice(0, tenth));
  const endRssMiB = median(rss.slice(-tenth));
  const afterGcStartRssMiB = median(afterGc.first);
  const afterGcEndRssMiB = median(afterGc.last);
  return {
    scrapes,
    startRssMiB,
    endRssMiB,
    growthPercent: growth(startRssMiB, endRssMiB),
    afterGcStartRssMiB,
    afterGcEndRssMiB,
    afterGcGrowthPercent: growth(afterGcStartRssMiB, afterGcEndRssMiB),
  };
}

export async function runScrapeCase(fixture: FixtureCase, options: ScrapeOptions): Promise<ScrapeCaseResult> {
  const configDir = mkdtempSync(join(tmpdir(), 'ebpf-exporter-bench-'));
  let exporter: ExporterUnderTest | undefined;
  try {
    exporter = await startExporter(configDir, [writeConfig(configDir, fixture)], options.exporterFlags);
    const map = await fill(exporter, fixture);
    const metricsUrl = `${exporter.baseUrl}/metrics`;
    const scrapeTimeout = { timeoutMs: SCRAPE_TIMEOUT_MS };

    const cold = await timedGet(metricsUrl, { keepText: true, ...scrapeTimeout });
    expectSeries(cold.text ?? '', fixture, 'exporter');
    await timedGet(metricsUrl, scrapeTimeout);

    const scrapeMs: number[] = [];
    const scrapeCpuMs: number[] = [];
    let maxLoopDelayMs = 0;
    let slowestOtherRequestMs = 0;
    const timingStarted = performance.now();
    for (let i = 0; i < options.scrapes && performance.now() - timingStarted < options.budgetMs; i++) {
      const cpuBefore = exporter.cpuMs();
      const { result, maxLoopDelayMs: delay } = await exporter.loopDelayDuring(async () => {
        const scrape = timedGet(metricsUrl, scrapeTimeout);
        const other = slowestAnswerDuring(`${exporter?.baseUrl}/`, scrape, options.probeIntervalMs);
        return Promise.all([scrape, other]);
      });
      const [scrape, otherMs] = result;
      if (scrape.status !== 200) throw new Error(`scrape answered ${scrape.status}`);
      scrapeMs.push(scrape.ms);
      scrapeCpuMs.push(exporter.cpuMs() - cpuBefore);
      maxLoopDelayMs = Math.max(maxLoopDelayMs, delay);
      slowestOtherRequestMs = Math.max(slowestOtherRequestMs, otherMs);
    }
    const gzipScrapeMs: number[] = [];
    for (let i = 0; i < Math.min(GZIP_SCRAPES, scrapeMs.length); i++) {
      const scrape = await timedGet(metricsUrl, { ...scrapeTimeout, gzip: true });
      if (scrape.status !== 200) throw new Error(`gzip scrape answered ${scrape.status}`);
      gzipScrapeMs.push(scrape.ms);
    }
    const { rssMiB, peakRssMiB } = exporter.memory();
    const floor = await batchReadFloor(exporter.pid, map, options.floorRounds);
    if (floor.entries !== fixture.entries) throw new Error(`floor read ${floor.entries} entries, expected ${fixture.entries}`);
    const soakResult = options.soakScrapes > 0 ? await soak(exporter, metricsUrl, options.soakScrapes) : undefined;
    return {
      fixture,
      flags: options.exporterFlags,
      bodyMiB: cold.bytes / 2 ** 20,
      coldMs: cold.ms,
      scrapeMs: summarise(scrapeMs),
      gzipScrapeMs: summarise(gzipScrapeMs),
      scrapeCpuMs: summarise(scrapeCpuMs),
      floorMs: summarise(floor.roundsMs),
      floorCpuMs: summarise(floor.roundsCpuMs),
      maxLoopDelayMs,
      slowestOtherRequestMs,
      rssMiB,
      peakRssMiB,
      ...(soakResult ? { soak: soakResult } : {}),
    };
  } finally {
    await exporter?.stop();
    rmSync(configDir, { recursive: true, force: true });
  }
}

export interface BaselineResult {
  fixture: FixtureCase;
  scrapeMs: Summary;
  scrapeCpuMs: Summary;
  rssMiB: number;
}

/** The prom-client baseline for a counter fixture, scraped like the exporter. */
export async function runBaseline(fixture: FixtureCase, scrapes: number): Promise<BaselineResult> {
  const baseline = await startChildServer({
    command: process.execPath,
    args: ['--import', 'tsx', join(REPO_ROOT, 'bench/src/prom-client-baseline.ts'), String(fixture.entries), '{port}'],
    cwd: REPO_ROOT,
    readyPattern: /baseline listening/,
    readyTimeoutMs: 60_000,
  });
  try {
    const url = `http://127.0.0.1:${baseline.port}/metrics`;
    const first = await timedGet(url, { keepText: true });
    expectSeries(first.text ?? '', fixture, 'prom-client baseline');
    const times: number[] = [];
    const cpuTimes: number[] = [];
    for (let i = 0; i < scrapes; i++) {
      const cpuBefore = baseline.cpuMs();
      times.push((await timedGet(url)).ms);
      cpuTimes.push(baseline.cpuMs() - cpuBefore);
    }
    return { fixture, scrapeMs: summarise(times), scrapeCpuMs: summarise(cpuTimes), rssMiB: baseline.memory().rssMiB };
  } finally {
    await baseline.stop();
  }
}
