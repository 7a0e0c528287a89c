// The per-node footprint: what one exporter costs a node that runs it with the starter configs (idle
// memory, background CPU, CPU per scrape), and the CPU per scrape at 10k and 100k series, for each
// Node.js runtime this machine has: the pinned one (24) and the machine's own old one (20) while it is
// installed, so the runtime move is measured in one run on one machine.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildServer } from './child-server';
import { PINNED_NODE, startExporter, type ExporterUnderTest } from './exporter-under-test';
import { countSamples, counterSeries } from './fixture-series';
import { timedGet } from './http-client';
import { fillCounterMap } from './native-tools';
import { REPO_ROOT } from './paths';
import { measureBurst, type BurstPlan, type BurstResult } from './scrape-burst';
import { HISTORY_OFF, type FixtureCase, writeConfig } from './scrape-cases';
import { summarise, type Summary } from './stats';

/** The configs the README and the packaged service start with. */
export const STARTER_CONFIGS = ['timers', 'biolatency', 'percpu-softirq'] as const;

/** The V8 flags the launchers (./ebpf_exporter, the .deb's) run the exporter with. */
const LAUNCHER_V8_FLAGS = ['--max-semi-space-size=4'];

/** The machine's own Node.js, measured as "the old runtime" while it is still installed. */
const SYSTEM_NODE = '/usr/bin/node';

export interface Runtime {
  /** "pinned" (node_modules) or "system" (/usr/bin/node). */
  name: string;
  binary: string;
  version: string;
}

export interface FootprintPlan {
  /** Scrapes before idle memory is read (the issue: after 10). */
  warmScrapes: number;
  /** How long the exporter is left alone after the warm-up scrapes (V8's memory reducer starts 8 s in). */
  settleMs: number;
  /** How long the background CPU (no scrapes) is measured, after settling. */
  idleWindowMs: number;
  /** Timed starter scrapes. */
  starterScrapes: number;
  /** Counter fixtures whose scrape CPU is measured, and how many scrapes each. */
  fixtures: readonly FixtureCase[];
  fixtureScrapes: number;
  /** The burst of concurrent starter scrapes after the timed ones, and the watch of the RSS after it. */
  burst: BurstPlan;
}

export interface FixtureCpu {
  fixture: string;
  series: number;
  cpuMs: Summary;
}

/** A server as small as it gets on a runtime, to show how much of the idle RSS is the platform's. */
export interface FloorCase {
  name: string;
  /** An ES module run with `node --input-type=module -e`; `PORT` is replaced, and it prints "listening". */
  script: string;
}

const SAMPLE_BODY = "'ebpf_exporter_floor_total 1\\n'.repeat(200)";

export const FLOOR_CASES: readonly FloorCase[] = [
  { name: 'Node.js alone', script: "setInterval(() => {}, 1 << 30); console.log('listening');" },
  {
    name: 'node:http serving 200 lines',
    script: `import { createServer } from 'node:http'; createServer((_, res) => res.end(${SAMPLE_BODY})).listen(PORT, '127.0.0.1', () => console.log('listening'));`,
  },
  {
    name: 'Fastify serving 200 lines',
    script: `import Fastify from 'fastify'; const app = Fastify(); app.get('/metrics', async () => ${SAMPLE_BODY}); await app.listen({ port: PORT, host: '127.0.0.1' }); console.log('listening');`,
  },
];

export interface FloorRss {
  name: string;
  rssMiB: number;
}

export interface RuntimeFootprint {
  runtime: Runtime;
  /** The floor cases' RSS after the same warm-up scrapes, with the launcher's V8 flags. */
  floors: FloorRss[];
  /** Exposition lines (samples) of one starter scrape. */
  starterLines: number;
  idleRssMiB: number;
  idlePeakRssMiB: number;
  /** CPU the idle exporter uses per second of wall time (timers, the dashboard's history sampler). */
  idleCpuMsPerSecond: number;
  /** CPU per starter scrape, the idle rate over the scrape's wall time taken out. */
  starterCpuMs: Summary;
  /** Concurrent starter scrapes after the timed ones, and how the RSS came back. */
  burst: BurstResult;
  fixtures: FixtureCpu[];
}

export interface FootprintResult {
  runtimes: RuntimeFootprint[];
  /** Runtimes not measured, with the reason (e.g. the old one is not installed). */
  missing: { name: string; reason: string }[];
}

function versionOf(binary: string): string {
  return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
}

/** The pinned runtime first; the system one when it is installed and older (it is what the pinned one replaced). */
export function runtimesToCompare(): { runtimes: Runtime[]; missing: FootprintResult['missing'] } {
  const pinned: Runtime = { name: 'pinned', binary: PINNED_NODE, version: versionOf(PINNED_NODE) };
  if (!existsSync(SYSTEM_NODE)) return { runtimes: [pinned], missing: [{ name: 'system', reason: `${SYSTEM_NODE} is not installed` }] };
  const system: Runtime = { name: 'system', binary: SYSTEM_NODE, version: versionOf(SYSTEM_NODE) };
  if (system.version === pinned.version) return { runtimes: [pinned], missing: [{ name: 'system', reason: `${SYSTEM_NODE} is the pinned version` }] };
  return { runtimes: [system, pinned], missing: [] };
}

/** Sample lines of an exposition (what "lines" means in the issue: comments and blank lines left out). */
export function sampleLines(text: string): number {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function scrapeOk(url: string): Promise<number> {
  const response = await timedGet(url);
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}`);
  return response.ms;
}

/** CPU per scrape with the background rate taken out, so a sampler tick between two scrapes is not charged to them. */
async function scrapeCpu(exporter: ExporterUnderTest, url: string, scrapes: number, idleCpuMsPerMs: number): Promise<Summary> {
  const samples: number[] = [];
  for (let i = 0; i < scrapes; i++) {
    const before = exporter.cpuMs();
    const wallMs = await scrapeOk(url);
    samples.push(Math.max(0, exporter.cpuMs() - before - idleCpuMsPerMs * wallMs));
  }
  return summarise(samples);
}

async function idleCpuRate(exporter: ExporterUnderTest, windowMs: number): Promise<number> {
  const before = exporter.cpuMs();
  const started = performance.now();
  await sleep(windowMs);
  return (exporter.cpuMs() - before) / (performance.now() - started);
}

async function starterFootprint(runtime: Runtime, plan: FootprintPlan): Promise<Omit<RuntimeFootprint, 'fixtures' | 'floors'>> {
  // Default flags: the footprint of the exporter as it is deployed, dashboard history included.
  const exporter = await startExporter(join(REPO_ROOT, 'examples'), STARTER_CONFIGS, [], runtime.binary);
  try {
    const url = `${exporter.baseUrl}/metrics`;
    const first = await timedGet(url, { keepText: true });
    if (first.status !== 200) throw new Error(`starter scrape answered ${first.status}`);
    const starterLines = sampleLines(first.text ?? '');
    for (let i = 1; i < plan.warmScrapes; i++) await scrapeOk(url);
    await sleep(plan.settleMs);
    const idleCpuMsPerMs = await idleCpuRate(exporter, plan.idleWindowMs);
    const { rssMiB, peakRssMiB } = exporter.memory();
    const starterCpuMs = await scrapeCpu(exporter, url, plan.starterScrapes, idleCpuMsPerMs);
    const burst = await measureBurst(exporter, url, rssMiB, plan.burst);
    return { runtime, starterLines, idleRssMiB: rssMiB, idlePeakRssMiB: peakRssMiB, idleCpuMsPerSecond: idleCpuMsPerMs * 1000, starterCpuMs, burst };
  } finally {
    await exporter.stop();
  }
}

async function floorRss(runtime: Runtime, floor: FloorCase, plan: FootprintPlan): Promise<FloorRss> {
  const server = await startChildServer({
    command: runtime.binary,
    args: [...LAUNCHER_V8_FLAGS, '--input-type=module', '-e', floor.script.replaceAll('PORT', '{port}')],
    cwd: REPO_ROOT,
    readyPattern: /listening/,
    readyTimeoutMs: 30_000,
  });
  try {
    if (floor.script.includes('PORT')) for (let i = 0; i < plan.warmScrapes; i++) await scrapeOk(`http://127.0.0.1:${server.port}/metrics`);
    await sleep(plan.settleMs);
    return { name: floor.name, rssMiB: server.memory().rssMiB };
  } finally {
    await server.stop();
  }
}

async function fixtureCpu(runtime: Runtime, fixture: FixtureCase, scrapes: number): Promise<FixtureCpu> {
  const configDir = mkdtempSync(join(tmpdir(), 'ebpf-exporter-footprint-'));
  let exporter: ExporterUnderTest | undefined;
  try {
    exporter = await startExporter(configDir, [writeConfig(configDir, fixture)], HISTORY_OFF, runtime.binary);
    await fillCounterMap(exporter.pid, 'ops_total', fixture.entries);
    const url = `${exporter.baseUrl}/metrics`;
    const first = await timedGet(url, { keepText: true, timeoutMs: 300_000 });
    const found = countSamples(first.text ?? '', counterSeries(0).metricName);
    if (found !== fixture.series) throw new Error(`${runtime.version} ${fixture.name}: expected ${fixture.series} series, the scrape had ${found}`);
    await scrapeOk(url);
    // History is off: nothing runs between scrapes, so the whole CPU delta is the scrape's.
    return { fixture: fixture.name, series: fixture.series, cpuMs: await scrapeCpu(exporter, url, scrapes, 0) };
  } finally {
    await exporter?.stop();
    rmSync(configDir, { recursive: true, force: true });
  }
}

export async function measureFootprint(plan: FootprintPlan, progress: (line: string) => void = () => undefined): Promise<FootprintResult> {
  const { runtimes, missing } = runtimesToCompare();
  const measured: RuntimeFootprint[] = [];
  for (const runtime of runtimes) {
    progress(`footprint ${runtime.version} floors...`);
    const floors: FloorRss[] = [];
    for (const floor of FLOOR_CASES) floors.push(await floorRss(runtime, floor, plan));
    progress(`footprint ${runtime.version} starters...`);
    const starter = await starterFootprint(runtime, plan);
    const fixtures: FixtureCpu[] = [];
    for (const fixture of plan.fixtures) {
      progress(`footprint ${runtime.version} ${fixture.name}...`);
      fixtures.push(await fixtureCpu(runtime, fixture, plan.fixtureScrapes));
    }
    measured.push({ ...starter, floors, fixtures });
  }
  return { runtimes: measured, missing };
}

/** The pinned runtime's figures (the one that ships). */
export function pinnedFootprint(result: FootprintResult): RuntimeFootprint | undefined {
  return result.runtimes.find((r) => r.runtime.name === 'pinned');
}
