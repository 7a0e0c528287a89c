// The harness end to end in --quick mode (small maps, a few scrapes): real exporters, real BPF maps filled
// from C, the prom-client baseline, the getpid probes and the startup run. Asserts that every part produced
// sane measurements, never how fast they were. Needs root for BPF.
import { describe, expect, it } from 'vitest';
import { renderReport } from './report';
import { QUICK_PLAN, runBenchmark } from './run-benchmark';
import { FLOOR_CASES } from './footprint';
import { historyOff } from './scrape-cases';
import { judgeTargets } from './targets';

const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('benchmark --quick (needs root: BPF map creation and program attach)', () => {
  it('measures every part of the harness end to end', async () => {
    const results = await runBenchmark(QUICK_PLAN);

    expect(results.scrapes.map((r) => `${r.fixture.name} ${historyOff(r.flags)}`)).toEqual(['1k true', '1k false', 'hist true']);
    for (const scrape of results.scrapes) {
      expect(scrape.scrapeMs.samples).toBe(historyOff(scrape.flags) ? QUICK_PLAN.scrapes : QUICK_PLAN.defaultFlags.scrapes);
      expect(scrape.floorMs.samples).toBe(QUICK_PLAN.floorRounds);
      expect(scrape.floorMs.median).toBeGreaterThan(0);
      expect(scrape.scrapeCpuMs.median).toBeGreaterThan(0);
      expect(scrape.bodyMiB).toBeGreaterThan(0);
      expect(scrape.peakRssMiB).toBeGreaterThanOrEqual(scrape.rssMiB);
    }
    expect(results.scrapes[0]?.soak?.scrapes).toBe(QUICK_PLAN.soak.scrapes);
    expect(results.baselines[0]?.scrapeMs.samples).toBe(QUICK_PLAN.baselineScrapes);
    expect(results.kernel.costs.map((c) => c.probe)).toEqual(['none', 'empty', 'simple_plain', 'simple_helper', 'complex_plain', 'complex_helper']);
    expect(results.kernel.costs.every((c) => c.nsPerCall > 0)).toBe(true);
    expect(results.startup.examples.capable).toContain('syscalls');
    expect(results.startup.attachMs).toBeGreaterThan(0);
    const pinned = results.footprint.runtimes.find((r) => r.runtime.name === 'pinned');
    expect(pinned?.runtime.version).toMatch(/^v24\./);
    for (const runtime of results.footprint.runtimes) {
      expect(runtime.starterLines).toBeGreaterThan(50);
      expect(runtime.idleRssMiB).toBeGreaterThan(0);
      expect(runtime.floors.map((f) => f.name)).toEqual(FLOOR_CASES.map((f) => f.name));
      expect(runtime.floors.every((f) => f.rssMiB > 0)).toBe(true);
      expect(runtime.starterCpuMs.samples).toBe(QUICK_PLAN.footprint.starterScrapes);
      expect(runtime.fixtures.map((f) => [f.fixture, f.cpuMs.samples])).toEqual([['1k', QUICK_PLAN.footprint.fixtureScrapes]]);
      expect(runtime.fixtures[0]?.cpuMs.median).toBeGreaterThan(0);
      const { burst } = runtime;
      expect(Object.values(burst.statuses).reduce((sum, count) => sum + count, 0)).toBe(QUICK_PLAN.footprint.burst.concurrency * QUICK_PLAN.footprint.burst.rounds);
      expect(burst.statuses['200']).toBeGreaterThan(0);
      expect(burst.peakRssMiB).toBeGreaterThan(0);
    }
    expect(results.footprint.runtimes.length + results.footprint.missing.length).toBe(2);

    // Quick mode judges nothing, but every target it has data for is listed.
    expect(judgeTargets(results).every((v) => v.met === undefined)).toBe(true);
    expect(renderReport(results, '')).toContain('| counter 1k | history off, no scrape timeout | 1k |');
  });
});
