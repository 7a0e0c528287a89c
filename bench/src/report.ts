// BENCHMARKS.md (and the table printed by `npx nx bench bench`), rendered from one run's results.
import { renderConfigParse } from './config-parse';
import type { FloodResult } from './flood';
import { scrapeOf, type BenchmarkResults } from './results';
import { WARM_UP_ROUNDS } from './phase-breakdown';
import { GCS_PER_TENTH, historyOff } from './scrape-cases';
import { STARTER_CONFIGS } from './footprint';
import { RECOVERED_RATIO } from './scrape-burst';
import { judgeTargets } from './targets';

const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function seriesLabel(series: number): string {
  return series >= 1_000_000 ? `${series / 1_000_000}M` : series >= 1000 ? `${series / 1000}k` : String(series);
}

export function renderScrapeTable(results: BenchmarkResults): string {
  return table(
    ['map', 'exporter flags', 'series', 'body MiB', 'C floor ms', 'scrape median ms', 'p99 ms', 'n', 'gzip median ms', 'cold ms', 'x floor', 'CPU ms (exporter / floor)', 'max loop stall ms', 'slowest other request ms', 'RSS / peak MiB'],
    results.scrapes.map((r) => [
      r.fixture.kind === 'counter' ? `counter ${r.fixture.name}` : `histogram ${r.fixture.series}x${r.fixture.entries / r.fixture.series}`,
      historyOff(r.flags) ? 'history off, no scrape timeout' : 'history on, no scrape timeout',
      seriesLabel(r.fixture.series),
      r.bodyMiB.toFixed(2),
      ms(r.floorMs.median),
      ms(r.scrapeMs.median),
      ms(r.scrapeMs.p99),
      String(r.scrapeMs.samples),
      ms(r.gzipScrapeMs.median),
      ms(r.coldMs),
      (r.scrapeMs.median / r.floorMs.median).toFixed(1),
      `${ms(r.scrapeCpuMs.median)} / ${ms(r.floorCpuMs.median)}`,
      ms(r.maxLoopDelayMs),
      ms(r.slowestOtherRequestMs),
      `${r.rssMiB.toFixed(0)} / ${r.peakRssMiB.toFixed(0)}`,
    ]),
  );
}

function renderFloodTable(flood: FloodResult): string {
  return table(
    ['scrape', 'wall ms', 'exporter CPU ms', 'RSS after / peak so far MiB'],
    flood.scrapes.map((s, i) => [i === 0 ? '1 (cold)' : String(i + 1), ms(s.ms), ms(s.cpuMs), `${s.rssMiB.toFixed(0)} / ${s.peakRssMiB.toFixed(0)}`]),
  );
}

/** The flood's table and what it shows, beside the 1M case of the same run when there is one. */
function renderFlood(results: BenchmarkResults, flood: FloodResult): string {
  const million = scrapeOf(results, '1m');
  // A read holds 16-byte keys and 8-byte values (bench/bpf/scrape-fixture.bpf.c), one past the limit at most.
  const readMiB = ((flood.limit + 1) * 24) / 2 ** 20;
  const versus = million ? `, against ${million.peakRssMiB.toFixed(0)} MiB for the 1M-series case above (${(flood.peakRssMiB / million.peakRssMiB).toFixed(2)}x)` : '';
  return `
## A flooded map (${seriesLabel(flood.plan.keys)} keys next to examples/timers; history off, no scrape timeout, a limit of ${flood.limit} series from ${flood.plan.maxSeries === undefined ? 'the default' : 'a lowered'} --config.max-series)

${renderFloodTable(flood)}

Every scrape left the flooded metric out (\`ebpf_exporter_metric_scrape_skipped_total\` ${flood.skipped}) and served the other config's ${flood.otherSamples} series. RSS was ${flood.idleRssMiB.toFixed(0)} MiB before the map was filled, ${flood.rssMiB.toFixed(0)} MiB after the last scrape, ${flood.peakRssMiB.toFixed(0)} MiB at its peak${versus}: each scrape reads the map no further than one key past the limit (${readMiB.toFixed(0)} MiB of keys and values) and refuses it before decoding any key, so time and memory follow the limit, not the map's size or the scrape count.
`;
}

export function renderBaselineTable(results: BenchmarkResults): string {
  return table(
    ['series', 'prom-client median ms', 'p99 ms', 'CPU ms', 'RSS MiB', 'exporter median ms', 'speedup'],
    results.baselines.map((b) => {
      const ours = scrapeOf(results, b.fixture.name);
      return [
        seriesLabel(b.fixture.series),
        ms(b.scrapeMs.median),
        ms(b.scrapeMs.p99),
        ms(b.scrapeCpuMs.median),
        b.rssMiB.toFixed(0),
        ours ? ms(ours.scrapeMs.median) : '-',
        ours ? `${(b.scrapeMs.median / ours.scrapeMs.median).toFixed(1)}x` : '-',
      ];
    }),
  );
}

export function renderPhaseTable(results: BenchmarkResults): string {
  return table(
    ['series', 'read (BpfMap.read) ms', 'collect (decode, aggregate, order) ms', 'format (text chunks) ms', 'sum ms', 'C floor ms'],
    results.phases.map((p) => {
      const floor = scrapeOf(results, p.fixture.name)?.floorMs.median;
      return [
        seriesLabel(p.fixture.series),
        ms(p.readMs),
        ms(p.collectMs),
        ms(p.formatMs),
        ms(p.readMs + p.collectMs + p.formatMs),
        floor === undefined ? '-' : ms(floor),
      ];
    }),
  );
}

export function renderKernelTable(results: BenchmarkResults): string {
  return table(
    ['sys_enter probe', 'ns per getpid', 'added ns', 'helper - plain ns (paired)', 'xlated insns'],
    results.kernel.costs.map((c) => [
      c.probe === 'none' ? 'none (reference)' : c.probe,
      c.nsPerCall.toFixed(0),
      c.probe === 'none' ? '-' : c.addedNs.toFixed(0),
      c.vsPlainNs === undefined ? '-' : c.vsPlainNs.toFixed(0),
      c.probe === 'none' ? '-' : String(c.xlatedInsns),
    ]),
  );
}

export function renderFootprintTable(results: BenchmarkResults): string {
  const fixtures = results.footprint.runtimes[0]?.fixtures ?? [];
  return table(
    ['Node.js', 'starter lines', 'idle RSS / peak MiB', 'idle CPU ms/s', 'starter CPU ms/scrape (median / p99)', ...fixtures.map((f) => `${seriesLabel(f.series)} CPU ms/scrape`)],
    results.footprint.runtimes.map((r) => [
      `${r.runtime.version} (${r.runtime.name})`,
      String(r.starterLines),
      `${r.idleRssMiB.toFixed(1)} / ${r.idlePeakRssMiB.toFixed(1)}`,
      ms(r.idleCpuMsPerSecond),
      `${ms(r.starterCpuMs.median)} / ${ms(r.starterCpuMs.p99)}`,
      ...r.fixtures.map((f) => ms(f.cpuMs.median)),
    ]),
  );
}

export function renderBurstTable(results: BenchmarkResults): string {
  return table(
    ['Node.js', 'idle RSS MiB', 'peak RSS in the burst MiB', `back within ${Math.round((RECOVERED_RATIO - 1) * 100)}% of idle after`, 'RSS at the end of the watch MiB', 'answers'],
    results.footprint.runtimes.map((r) => [
      `${r.runtime.version} (${r.runtime.name})`,
      r.idleRssMiB.toFixed(1),
      r.burst.peakRssMiB.toFixed(1),
      r.burst.recoveredAfterS === undefined ? '**not within the watch**' : `${r.burst.recoveredAfterS.toFixed(0)} s`,
      r.burst.finalRssMiB.toFixed(1),
      Object.entries(r.burst.statuses).map(([code, count]) => `${count} x ${code}`).join(', '),
    ]),
  );
}

export function renderFloorTable(results: BenchmarkResults): string {
  const floors = results.footprint.runtimes[0]?.floors ?? [];
  return table(
    ['Node.js', ...floors.map((f) => `${f.name} MiB`), 'the exporter, starter configs MiB'],
    results.footprint.runtimes.map((r) => [`${r.runtime.version} (${r.runtime.name})`, ...r.floors.map((f) => f.rssMiB.toFixed(1)), r.idleRssMiB.toFixed(1)]),
  );
}

export function renderTargets(results: BenchmarkResults): string {
  return table(
    ['target', 'measured', 'met'],
    judgeTargets(results).map((v) => [v.target, v.measured, v.met === undefined ? 'not judged (quick)' : v.met ? 'yes' : '**no**']),
  );
}

export function renderReport(results: BenchmarkResults, notes: string): string {
  const { machine } = results;
  const soak = results.scrapes.find((r) => r.soak);
  return `# Benchmarks

Generated by \`npx nx bench bench\` (bench/) on ${results.date}, revision ${results.revision}${results.quick ? ', **quick mode (small sizes, not judged)**' : ''}.
Machine: Linux ${machine.kernel}, ${machine.cpus} CPUs, shared with other jobs: 1-minute load ${machine.loadStart.toFixed(1)} at the start,
${machine.loadEnd.toFixed(1)} at the end. Wall-clock numbers stretch with that load; ratios come from the same run.

## Targets

${renderTargets(results)}

## Scrape (real exporter over HTTP, uncompressed)

${renderScrapeTable(results)}
${soak?.soak ? `\nMemory soak: ${soak.soak.scrapes} scrapes of the ${soak.fixture.name} map, median RSS ${soak.soak.startRssMiB.toFixed(1)} MiB over the first tenth, ${soak.soak.endRssMiB.toFixed(1)} MiB over the last tenth (${soak.soak.growthPercent.toFixed(2)}%); median right after ${GCS_PER_TENTH} forced full GCs in each: ${soak.soak.afterGcStartRssMiB.toFixed(1)} -> ${soak.soak.afterGcEndRssMiB.toFixed(1)} MiB (${soak.soak.afterGcGrowthPercent.toFixed(2)}%).\n` : ''}${results.flood ? renderFlood(results, results.flood) : ''}
## Where the time goes (in-process, median of ${results.phases[0]?.rounds ?? 0} rounds after ${WARM_UP_ROUNDS} warm-up rounds)

${renderPhaseTable(results)}

## Naive baseline (prom-client: \`Gauge.set\` per series, then \`registry.metrics()\`)

${renderBaselineTable(results)}

## Kernel side (getpid with a tp_btf sys_enter probe, ${results.kernel.calls} calls x ${results.kernel.rounds} rounds)

${renderKernelTable(results)}

## Per-node footprint (starter configs ${STARTER_CONFIGS.join(', ')} with default flags; fixtures with history off)

${renderFootprintTable(results)}

Where the idle RSS starts (same run, same V8 flags as the launchers, RSS after the same scrapes and pause):

${renderFloorTable(results)}

After a burst of concurrent starter scrapes (${results.footprint.runtimes[0]?.burst.rounds ?? 0} rounds of ${results.footprint.runtimes[0]?.burst.concurrency ?? 0} at once, gzip, default --web.max-requests; concurrent scrapes share one collection):

${renderBurstTable(results)}

Idle RSS and idle CPU are read after ${results.quick ? 'a few' : '10'} scrapes and ${results.quick ? 'no' : 'a 20 s'} pause (V8 gives memory back from 8 s on); a scrape's CPU is all threads' time with the idle rate over its wall time taken out.${results.footprint.missing.map((m) => ` Not measured: ${m.name} Node.js (${m.reason}).`).join('')}

## Startup

${results.startup.examples.capable.length} host-capable examples (${results.startup.examples.capable.join(', ')}), median of ${results.startup.runs} runs:
attach ${results.startup.attachMs.toFixed(0)} ms as the exporter logs it, first successful scrape ${results.startup.firstScrapeMs.toFixed(0)} ms after spawn.
Left out: ${results.startup.examples.skipped.map((s) => `${s.name} (${s.reason})`).join(', ') || 'none'}.
${results.configParse ? renderConfigParse(results.configParse) : ''}
${notes}`;
}
