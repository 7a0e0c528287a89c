// One benchmark run: every scrape case, the flooded map, the baselines, the getpid probes, the startup and the config parse, in that order.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release } from 'node:os';
import { measureConfigParse, type ConfigParsePlan } from './config-parse';
import { runFlood, type FloodPlan } from './flood';
import { measureFootprint, type FootprintPlan } from './footprint';
import { measureKernelOverhead } from './kernel-overhead';
import { measurePhases } from './phase-breakdown';
import { REPO_ROOT } from './paths';
import type { BenchmarkResults } from './results';
import { COUNTER_CASES, HISTOGRAM_CASE, HISTORY_OFF, HISTORY_ON, runBaseline, runScrapeCase, type FixtureCase } from './scrape-cases';
import { measureStartup } from './startup';

export interface RunPlan {
  quick: boolean;
  fixtures: readonly FixtureCase[];
  scrapes: number;
  /** Time allowed for the timed scrapes of one case. */
  scrapeBudgetMs: number;
  floorRounds: number;
  /** A fixture scraped once more with the exporter's default flags (dashboard history on), and how often. */
  defaultFlags: { fixture: string; scrapes: number };
  /** The fixture whose exporter also runs the memory soak, and for how many scrapes. */
  soak: { fixture: string; scrapes: number };
  /** A counter map filled past the series limit, next to a normal config. */
  flood: FloodPlan;
  baselineFixtures: readonly string[];
  baselineScrapes: number;
  /** Counter fixtures whose scrape is also taken apart phase by phase in-process, and how many rounds. */
  phases: { fixtures: readonly string[]; rounds: number };
  getpid: { calls: number; rounds: number };
  startupRuns: number;
  /** parseConfig on a generated static_map of this many entries. */
  configParse: ConfigParsePlan;
  probeIntervalMs: number;
  footprint: Omit<FootprintPlan, 'fixtures'> & { fixtures: readonly string[] };
}

const byName = (...names: string[]) => COUNTER_CASES.filter((c) => names.includes(c.name));

export const FULL_PLAN: RunPlan = {
  quick: false,
  fixtures: [...COUNTER_CASES, HISTOGRAM_CASE],
  scrapes: 20,
  scrapeBudgetMs: 120_000,
  floorRounds: 20,
  defaultFlags: { fixture: '1m', scrapes: 10 },
  soak: { fixture: '10k', scrapes: 1000 },
  // Each scrape reads all 5M keys (~3 s here): five after the cold one show whether memory keeps growing.
  flood: { fixture: '5m', keys: 5_000_000, scrapes: 5 },
  baselineFixtures: ['1k', '10k', '100k'],
  baselineScrapes: 20,
  phases: { fixtures: ['100k', '1m'], rounds: 5 },
  getpid: { calls: 1_000_000, rounds: 5 },
  startupRuns: 3,
  configParse: { entries: 1_000_000, runs: 3 },
  probeIntervalMs: 25,
  footprint: { warmScrapes: 10, settleMs: 20_000, idleWindowMs: 10_000, starterScrapes: 100, fixtures: ['10k', '100k'], fixtureScrapes: 20, burst: { concurrency: 100, rounds: 10, watchMs: 30_000 } },
};

/** Small sizes, a few repetitions: proves the harness works end to end, judges nothing. */
export const QUICK_PLAN: RunPlan = {
  quick: true,
  fixtures: [...byName('1k'), HISTOGRAM_CASE],
  scrapes: 3,
  scrapeBudgetMs: 60_000,
  floorRounds: 3,
  defaultFlags: { fixture: '1k', scrapes: 2 },
  soak: { fixture: '1k', scrapes: 20 },
  // The same path in a few seconds: a lowered limit instead of a 5M map.
  flood: { fixture: '100k', keys: 20_000, maxSeries: 10_000, scrapes: 2 },
  baselineFixtures: ['1k'],
  baselineScrapes: 3,
  phases: { fixtures: ['1k'], rounds: 2 },
  getpid: { calls: 20_000, rounds: 1 },
  startupRuns: 1,
  configParse: { entries: 50_000, runs: 1 },
  probeIntervalMs: 25,
  footprint: { warmScrapes: 10, settleMs: 0, idleWindowMs: 1000, starterScrapes: 5, fixtures: ['1k'], fixtureScrapes: 2, burst: { concurrency: 20, rounds: 2, watchMs: 2000 } },
};

function revision(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export async function runBenchmark(plan: RunPlan, progress: (line: string) => void = () => undefined): Promise<BenchmarkResults> {
  const loadStart = loadavg()[0] as number;
  const scrapes = [];
  for (const fixture of plan.fixtures) {
    progress(`scrape ${fixture.name}...`);
    const soakScrapes = fixture.name === plan.soak.fixture ? plan.soak.scrapes : 0;
    const options = { budgetMs: plan.scrapeBudgetMs, floorRounds: plan.floorRounds, probeIntervalMs: plan.probeIntervalMs };
    scrapes.push(await runScrapeCase(fixture, { ...options, scrapes: plan.scrapes, soakScrapes, exporterFlags: HISTORY_OFF }));
    if (fixture.name === plan.defaultFlags.fixture) {
      progress(`scrape ${fixture.name} with default flags...`);
      scrapes.push(await runScrapeCase(fixture, { ...options, scrapes: plan.defaultFlags.scrapes, soakScrapes: 0, exporterFlags: HISTORY_ON }));
    }
  }
  progress(`flood ${plan.flood.keys} keys...`);
  const flood = await runFlood(plan.flood);
  const baselines = [];
  for (const fixture of plan.fixtures.filter((f) => plan.baselineFixtures.includes(f.name))) {
    progress(`prom-client baseline ${fixture.name}...`);
    baselines.push(await runBaseline(fixture, plan.baselineScrapes));
  }
  const phases = [];
  for (const fixture of COUNTER_CASES.filter((c) => plan.phases.fixtures.includes(c.name))) {
    progress(`phases ${fixture.name}...`);
    phases.push(await measurePhases(fixture, plan.phases.rounds));
  }
  progress('getpid probes...');
  const kernel = await measureKernelOverhead(plan.getpid.calls, plan.getpid.rounds);
  progress('startup...');
  const startup = await measureStartup(plan.startupRuns);
  progress(`config parse ${plan.configParse.entries} static_map entries...`);
  const configParse = measureConfigParse(plan.configParse);
  const footprint = await measureFootprint({ ...plan.footprint, fixtures: byName(...plan.footprint.fixtures) }, progress);
  return {
    quick: plan.quick,
    date: new Date().toISOString(),
    revision: revision(),
    machine: { kernel: release(), cpus: cpus().length, loadStart, loadEnd: loadavg()[0] as number },
    scrapes,
    flood,
    baselines,
    phases,
    kernel,
    startup,
    configParse,
    footprint,
  };
}
