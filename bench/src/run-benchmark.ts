// One benchmark run: every scrape case, the baselines, the getpid probes and the startup, in that order.
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, release } from 'node:os';
import { measureKernelOverhead } from './kernel-overhead';
import { REPO_ROOT } from './paths';
import type { BenchmarkResults } from './results';
import { COUNTER_CASES, HISTOGRAM_CASE, runBaseline, runScrapeCase, type FixtureCase } from './scrape-cases';
import { measureStartup } from './startup';

export interface RunPlan {
  quick: boolean;
  fixtures: readonly FixtureCase[];
  scrapes: number;
  floorRounds: number;
  /** The fixture whose exporter also runs the memory soak, and for how many scrapes. */
  soak: { fixture: string; scrapes: number };
  baselineFixtures: readonly string[];
  baselineScrapes: number;
  getpid: { calls: number; rounds: number };
  startupRuns: number;
  probeIntervalMs: number;
}

const byName = (...names: string[]) => COUNTER_CASES.filter((c) => names.includes(c.name));

export const FULL_PLAN: RunPlan = {
  quick: false,
  fixtures: [...COUNTER_CASES, HISTOGRAM_CASE],
  scrapes: 20,
  floorRounds: 20,
  soak: { fixture: '10k', scrapes: 1000 },
  baselineFixtures: ['1k', '10k', '100k'],
  baselineScrapes: 20,
  getpid: { calls: 1_000_000, rounds: 5 },
  startupRuns: 3,
  probeIntervalMs: 25,
};

/** Small sizes, a few repetitions: proves the harness works end to end, judges nothing. */
export const QUICK_PLAN: RunPlan = {
  quick: true,
  fixtures: [...byName('1k'), HISTOGRAM_CASE],
  scrapes: 3,
  floorRounds: 3,
  soak: { fixture: '1k', scrapes: 20 },
  baselineFixtures: ['1k'],
  baselineScrapes: 3,
  getpid: { calls: 20_000, rounds: 1 },
  startupRuns: 1,
  probeIntervalMs: 25,
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
    scrapes.push(await runScrapeCase(fixture, { scrapes: plan.scrapes, floorRounds: plan.floorRounds, soakScrapes, probeIntervalMs: plan.probeIntervalMs }));
  }
  const baselines = [];
  for (const fixture of plan.fixtures.filter((f) => plan.baselineFixtures.includes(f.name))) {
    progress(`prom-client baseline ${fixture.name}...`);
    baselines.push(await runBaseline(fixture, plan.baselineScrapes));
  }
  progress('getpid probes...');
  const kernel = await measureKernelOverhead(plan.getpid.calls, plan.getpid.rounds);
  progress('startup...');
  const startup = await measureStartup(plan.startupRuns);
  return {
    quick: plan.quick,
    date: new Date().toISOString(),
    revision: revision(),
    machine: { kernel: release(), cpus: cpus().length, loadStart, loadEnd: loadavg()[0] as number },
    scrapes,
    baselines,
    kernel,
    startup,
  };
}
