// The issue's targets, judged from one run's numbers. Ratios compare medians of the same run, so a busy
// neighbour stretches both sides; CPU-time ratios are shown beside the wall-clock ones as a cross-check.
import { pinnedFootprint } from './footprint';
import { scrapeOf, type BenchmarkResults } from './results';
import { RECOVERED_RATIO } from './scrape-burst';
import { historyOff } from './scrape-cases';

export interface TargetVerdict {
  target: string;
  measured: string;
  /** undefined: not judged (quick mode, or the case did not run). */
  met: boolean | undefined;
}

export const LIMITS = {
  floorRatio: 2,
  baselineSpeedup: 5,
  otherRequestMs: 250,
  /** Decimal megabytes, as the issues state them (200 MB is 190.7 MiB). */
  rssMB: 200,
  coldMillionMs: 2000,
  idleRssMB: 60,
  starterCpuMs: 1,
  /** After a burst of concurrent scrapes the RSS is back within 10% of idle in this many seconds (the web-layer issue). */
  burstRecoveryS: 30,
  rssGrowthPercent: 5,
  startupMs: 2000,
  /** The dashboard's history may add this much to a 1M-series scrape's median time and peak RSS. */
  historyCostPercent: 10,
  /**
   * Peak RSS with a 5M-key map present, over the 1M case's: the default limit (1Mi series) should make a
   * flood cost about what a served 1M-series metric costs. The quarter more is room for the whole read of
   * the map a refusal still makes (5M x 24 bytes, 114 MiB), not for several reads' buffers held at once.
   */
  floodPeakRatio: 1.25,
  /** The helper header may cost at most this much more than the plain idiom: run-to-run noise. */
  helperToleranceNs: 5,
} as const;

const fixed = (n: number, digits = 1) => n.toFixed(digits);
const megabytes = (mebibytes: number) => (mebibytes * 2 ** 20) / 1e6;


export function judgeTargets(results: BenchmarkResults): TargetVerdict[] {
  const judged = (met: boolean) => (results.quick ? undefined : met);
  const verdicts: TargetVerdict[] = [];

  const hundredK = scrapeOf(results, '100k');
  if (hundredK) {
    const ratio = hundredK.scrapeMs.median / hundredK.floorMs.median;
    const cpuRatio = hundredK.scrapeCpuMs.median / hundredK.floorCpuMs.median;
    verdicts.push({
      target: `100k-series scrape within ${LIMITS.floorRatio}x the C batch-read floor`,
      measured: `${fixed(ratio)}x wall (${fixed(hundredK.scrapeMs.median)} / ${fixed(hundredK.floorMs.median)} ms), ${fixed(cpuRatio)}x CPU`,
      met: judged(ratio <= LIMITS.floorRatio),
    });
    const baseline = results.baselines.find((b) => b.fixture.name === '100k');
    if (baseline) {
      const speedup = baseline.scrapeMs.median / hundredK.scrapeMs.median;
      const cpuSpeedup = baseline.scrapeCpuMs.median / hundredK.scrapeCpuMs.median;
      verdicts.push({
        target: `at least ${LIMITS.baselineSpeedup}x faster than prom-client at 100k`,
        measured: `${fixed(speedup)}x wall (${fixed(baseline.scrapeMs.median)} vs ${fixed(hundredK.scrapeMs.median)} ms), ${fixed(cpuSpeedup)}x CPU`,
        met: judged(speedup >= LIMITS.baselineSpeedup),
      });
    }
  }

  const million = scrapeOf(results, '1m');
  if (million) {
    verdicts.push({
      target: `1M-series scrape completes while other requests answer within ${LIMITS.otherRequestMs} ms`,
      measured: `slowest landing page ${fixed(million.slowestOtherRequestMs)} ms, longest loop stall ${fixed(million.maxLoopDelayMs)} ms`,
      met: judged(million.slowestOtherRequestMs <= LIMITS.otherRequestMs),
    });
    verdicts.push({
      target: `peak RSS at most ${LIMITS.rssMB} MB at 1M series`,
      measured: `peak ${fixed(megabytes(million.peakRssMiB))} MB (${fixed(million.peakRssMiB)} MiB), after scrapes ${fixed(megabytes(million.rssMiB))} MB`,
      met: judged(megabytes(million.peakRssMiB) <= LIMITS.rssMB),
    });
    verdicts.push({
      target: `first (cold) scrape of 1M series within ${LIMITS.coldMillionMs} ms`,
      measured: `${fixed(million.coldMs, 0)} ms`,
      met: judged(million.coldMs <= LIMITS.coldMillionMs),
    });
    const flood = results.flood;
    if (flood) {
      const ratio = flood.peakRssMiB / million.peakRssMiB;
      verdicts.push({
        target: `peak RSS with a ${flood.plan.keys / 1e6}M-key map present within ${LIMITS.floodPeakRatio}x the 1M case (the metric left out at ${flood.limit} series)`,
        measured: `peak ${fixed(flood.peakRssMiB)} vs ${fixed(million.peakRssMiB)} MiB (${fixed(ratio, 2)}x) over ${flood.scrapes.length} scrapes`,
        met: judged(ratio <= LIMITS.floodPeakRatio),
      });
    }
    const withHistory = results.scrapes.find((r) => r.fixture.name === '1m' && !historyOff(r.flags));
    if (withHistory) {
      const percent = (on: number, off: number) => (on / off - 1) * 100;
      const time = percent(withHistory.scrapeMs.median, million.scrapeMs.median);
      const peak = percent(withHistory.peakRssMiB, million.peakRssMiB);
      verdicts.push({
        target: `the dashboard history adds at most ${LIMITS.historyCostPercent}% to a 1M-series scrape (median time and peak RSS)`,
        measured: `time ${fixed(withHistory.scrapeMs.median)} vs ${fixed(million.scrapeMs.median)} ms (${fixed(time)}%), peak ${fixed(withHistory.peakRssMiB)} vs ${fixed(million.peakRssMiB)} MiB (${fixed(peak)}%)`,
        met: judged(time <= LIMITS.historyCostPercent && peak <= LIMITS.historyCostPercent),
      });
    }
  }

  const soaked = results.scrapes.find((result) => result.soak);
  if (soaked?.soak) {
    const { soak } = soaked;
    verdicts.push({
      target: `RSS grows less than ${LIMITS.rssGrowthPercent}% over 1,000 scrapes (judged on the median RSS after forced GCs at both ends)`,
      measured:
        `${soak.scrapes} scrapes of ${soaked.fixture.name}: after GCs ${fixed(soak.afterGcStartRssMiB)} -> ${fixed(soak.afterGcEndRssMiB)} MiB ` +
        `(${fixed(soak.afterGcGrowthPercent, 2)}%); without, medians ${fixed(soak.startRssMiB)} -> ${fixed(soak.endRssMiB)} MiB (${fixed(soak.growthPercent, 2)}%)`,
      met: judged(soak.scrapes >= 1000 && soak.afterGcGrowthPercent < LIMITS.rssGrowthPercent),
    });
  }

  for (const shape of ['simple', 'complex']) {
    const cost = (probe: string) => results.kernel.costs.find((c) => c.probe === probe);
    const plain = cost(`${shape}_plain`);
    const helper = cost(`${shape}_helper`);
    const paired = helper?.vsPlainNs ?? NaN;
    verdicts.push({
      target: `maps.bpf.h costs no more than the plain idiom (${shape} key; paired per round, +${LIMITS.helperToleranceNs} ns noise)`,
      measured: `helper - plain ${fixed(paired)} ns per getpid (added: helper ${fixed(helper?.addedNs ?? NaN)}, plain ${fixed(plain?.addedNs ?? NaN)}); ${helper?.xlatedInsns} vs ${plain?.xlatedInsns} insns`,
      met: judged(paired <= LIMITS.helperToleranceNs),
    });
  }

  const footprint = pinnedFootprint(results.footprint);
  if (footprint) {
    const on = `${footprint.runtime.version}, ${footprint.starterLines} lines`;
    verdicts.push({
      target: `idle RSS with the starter configs at most ${LIMITS.idleRssMB} MB`,
      measured: `${fixed(megabytes(footprint.idleRssMiB))} MB (${fixed(footprint.idleRssMiB)} MiB) on ${on}`,
      met: judged(megabytes(footprint.idleRssMiB) <= LIMITS.idleRssMB),
    });
    verdicts.push({
      target: `CPU per scrape of the starter configs at most ${LIMITS.starterCpuMs} ms`,
      measured: `median ${fixed(footprint.starterCpuMs.median, 2)} ms (p99 ${fixed(footprint.starterCpuMs.p99, 2)}) on ${on}`,
      met: judged(footprint.starterCpuMs.median <= LIMITS.starterCpuMs),
    });
    const { burst } = footprint;
    verdicts.push({
      target: `RSS back within ${Math.round((RECOVERED_RATIO - 1) * 100)}% of idle within ${LIMITS.burstRecoveryS} s after ${burst.rounds} x ${burst.concurrency} concurrent starter scrapes`,
      measured: `idle ${fixed(footprint.idleRssMiB)} MiB, burst peak ${fixed(burst.peakRssMiB)} MiB, ${burst.recoveredAfterS === undefined ? 'not back within the watch' : `back after ${fixed(burst.recoveredAfterS, 0)} s`}, ${fixed(burst.finalRssMiB)} MiB at its end`,
      met: judged(burst.recoveredAfterS !== undefined && burst.recoveredAfterS <= LIMITS.burstRecoveryS),
    });
  }

  verdicts.push({
    target: `loading and attaching every host-capable example under ${LIMITS.startupMs} ms`,
    measured: `${results.startup.examples.capable.length} examples: attach ${fixed(results.startup.attachMs, 0)} ms (exporter's log), first scrape after ${fixed(results.startup.firstScrapeMs, 0)} ms`,
    met: judged(results.startup.attachMs < LIMITS.startupMs),
  });
  return verdicts;
}
