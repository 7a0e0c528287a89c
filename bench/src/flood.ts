// A flooded map (#22): a counter map that holds far more keys than --config.max-series, next to a small
// normal config (examples/timers), on the real exporter. The flooded metric must be left out of every
// scrape and counted, the other config served, and the exporter's memory must stay bounded: the collector
// stops decoding at the limit and, while the map keeps as many keys, refuses it again without decoding.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSamples, type Sample } from '@ebpf-exporter/test-support';
import { startExporter, type ExporterUnderTest } from './exporter-under-test';
import { counterSeries } from './fixture-series';
import { timedGet } from './http-client';
import { fillCounterMap } from './native-tools';
import { REPO_ROOT } from './paths';
import { HISTORY_OFF, writeConfig } from './scrape-cases';

export interface FloodPlan {
  /** The counter fixture flooded (bench/build/scrape-fixture-<name>.bpf.o): its max_entries bounds `keys`. */
  fixture: string;
  keys: number;
  /** --config.max-series; undefined keeps the exporter's default. */
  maxSeries?: number;
  /** Scrapes after the first (cold) one. */
  scrapes: number;
}

export interface FloodScrape {
  ms: number;
  /** The exporter's CPU time over the scrape, all threads. */
  cpuMs: number;
  /** Right after the scrape: resident, and the peak so far. */
  rssMiB: number;
  peakRssMiB: number;
}

export interface FloodResult {
  plan: FloodPlan;
  /** The limit the exporter applied, as its log line states it. */
  limit: number;
  /** Before the map was filled: the exporter with both configs loaded and nothing scraped. */
  idleRssMiB: number;
  /**
   * Every scrape in order. The first (cold) one decodes up to the limit before refusing the metric; the
   * others refuse it without decoding, but each still reads the whole map.
   */
  scrapes: FloodScrape[];
  /** After all scrapes. */
  rssMiB: number;
  peakRssMiB: number;
  /** ebpf_exporter_metric_scrape_skipped_total of the flooded metric after the last scrape (= scrapes + 1). */
  skipped: number;
  /** Samples of the other config's metric in the last scrape. */
  otherSamples: number;
}

/** The flooded config's name: writeConfig names it after the fixture. */
const floodConfig = (plan: FloodPlan) => `bench_${plan.fixture}`;
/** The counter map of the fixture, and its metric's name in the config (COUNTER_CONFIG). */
const FLOODED_MAP = 'ops_total';
const OTHER_CONFIG = 'timers';
const OTHER_METRIC = 'ebpf_exporter_timer_starts_total';
const SKIPPED_METRIC = 'ebpf_exporter_metric_scrape_skipped_total';
/** Each scrape still reads the whole map (5M keys: seconds), so allow minutes, like the scrape cases. */
const SCRAPE_TIMEOUT_MS = 300_000;
const LIMIT_LINE = new RegExp(`metric ${FLOODED_MAP} left out of this scrape, it has more than (\\d+) series`);

/** Throws unless the scrape left the flooded metric out, served the other config and counted this skip. */
function checkScrape(samples: readonly Sample[], plan: FloodPlan, scrapesSoFar: number): { skipped: number; otherSamples: number } {
  const flooded = counterSeries(0).metricName;
  if (samples.some((s) => s.name === flooded)) throw new Error(`flood: scrape ${scrapesSoFar} served ${flooded}`);
  const otherSamples = samples.filter((s) => s.name === OTHER_METRIC).length;
  if (otherSamples === 0) throw new Error(`flood: scrape ${scrapesSoFar} had no ${OTHER_METRIC}`);
  const skipped = samples.find(
    (s) => s.name === SKIPPED_METRIC && s.labels['config'] === floodConfig(plan) && s.labels['metric'] === FLOODED_MAP && s.labels['reason'] === 'series_limit',
  )?.value;
  if (skipped !== scrapesSoFar) throw new Error(`flood: after ${scrapesSoFar} scrapes ${SKIPPED_METRIC} of ${FLOODED_MAP} is ${skipped}`);
  return { skipped, otherSamples };
}

export async function runFlood(plan: FloodPlan): Promise<FloodResult> {
  const configDir = mkdtempSync(join(tmpdir(), 'ebpf-exporter-bench-flood-'));
  const flags = [...HISTORY_OFF, ...(plan.maxSeries === undefined ? [] : [`--config.max-series=${plan.maxSeries}`])];
  let exporter: ExporterUnderTest | undefined;
  try {
    const flood = writeConfig(configDir, { name: plan.fixture, kind: 'counter', entries: plan.keys, series: plan.keys });
    for (const file of [`${OTHER_CONFIG}.yaml`, `${OTHER_CONFIG}.bpf.o`]) copyFileSync(join(REPO_ROOT, 'examples', file), join(configDir, file));
    exporter = await startExporter(configDir, [flood, OTHER_CONFIG], flags);
    const idleRssMiB = exporter.memory().rssMiB;
    await fillCounterMap(exporter.pid, FLOODED_MAP, plan.keys);
    const metricsUrl = `${exporter.baseUrl}/metrics`;
    const scrapes: FloodScrape[] = [];
    let last = { skipped: 0, otherSamples: 0 };
    for (let i = 1; i <= plan.scrapes + 1; i++) {
      const cpuBefore = exporter.cpuMs();
      const response = await timedGet(metricsUrl, { keepText: true, timeoutMs: SCRAPE_TIMEOUT_MS });
      const cpuMs = exporter.cpuMs() - cpuBefore;
      if (response.status !== 200) throw new Error(`flood: scrape ${i} answered ${response.status}`);
      scrapes.push({ ms: response.ms, cpuMs, ...exporter.memory() });
      last = checkScrape(parseSamples(response.text ?? ''), plan, i);
    }
    const limit = Number(LIMIT_LINE.exec(exporter.output())?.[1]);
    if (!(limit < plan.keys)) throw new Error(`flood: the exporter logged no series limit below ${plan.keys} keys:\n${exporter.output()}`);
    return {
      plan,
      limit,
      idleRssMiB,
      scrapes,
      ...exporter.memory(),
      ...last,
    };
  } finally {
    await exporter?.stop();
    rmSync(configDir, { recursive: true, force: true });
  }
}
