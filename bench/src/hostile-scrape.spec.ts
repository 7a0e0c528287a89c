// A config whose map is huge and slow to decode (a million keys, each through a regexp) next to a normal
// one (examples/timers), on the real exporter: the slow config is cut at --config.scrape-timeout and the
// other still served, and SIGTERM ends the process within 2 s in the middle of such a scrape, with every
// program detached. Lives with the benchmark because it needs map-tool to fill the map. Needs root for BPF.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadedProgramIds, parseSamples, programsStillLoaded } from '@ebpf-exporter/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { startExporter, type ExporterUnderTest } from './exporter-under-test';
import { fillCounterMap } from './native-tools';
import { BENCH_BUILD, REPO_ROOT } from './paths';

const isRoot = process.getuid?.() === 0;
const ENTRIES = 1_000_000;

// Every key decodes through uint and a regexp, about 2 µs a key in re2js: seconds for the whole map.
const SLOW_CONFIG = `metrics:
  counters:
    - name: ops_total
      help: A million keys, each decoded through a regexp
      labels:
        - { name: tenant, size: 8, decoders: [{ name: uint }, { name: regexp, regexps: ['^(\\d+)+$'] }] }
        - { name: object, size: 8, decoders: [{ name: uint }, { name: regexp, regexps: ['^(\\d*)*$'] }] }
`;

function configDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ebpf-exporter-hostile-scrape-'));
  writeFileSync(join(dir, 'slow.yaml'), SLOW_CONFIG);
  copyFileSync(join(BENCH_BUILD, 'scrape-fixture-1m.bpf.o'), join(dir, 'slow.bpf.o'));
  for (const file of ['timers.yaml', 'timers.bpf.o']) copyFileSync(join(REPO_ROOT, 'examples', file), join(dir, file));
  return dir;
}

async function scrape(exporter: ExporterUnderTest) {
  const response = await fetch(`${exporter.baseUrl}/metrics`);
  return { status: response.status, samples: parseSamples(await response.text()) };
}

describe.skipIf(!isRoot)('a config that is slow to scrape (needs root: BPF)', () => {
  let exporter: ExporterUnderTest | undefined;

  afterEach(async () => {
    await exporter?.stop();
    exporter = undefined;
  });

  it('is left out of a scrape over --config.scrape-timeout and counted; the other config is served', async () => {
    exporter = await startExporter(configDir(), ['slow', 'timers'], ['--config.scrape-timeout=500ms']);
    await fillCounterMap(exporter.pid, 'ops_total', ENTRIES);
    const { status, samples } = await scrape(exporter);
    expect(status).toBe(200);
    expect(samples.some((s) => s.name === 'ebpf_exporter_timer_starts_total')).toBe(true);
    expect(samples.some((s) => s.name === 'ebpf_exporter_ops_total')).toBe(false);
    const skipped = samples.filter((s) => s.name === 'ebpf_exporter_config_scrape_skipped_total');
    expect(skipped).toEqual([
      { name: 'ebpf_exporter_config_scrape_skipped_total', labels: { config: 'slow', reason: 'timeout' }, value: 1 },
      { name: 'ebpf_exporter_config_scrape_skipped_total', labels: { config: 'timers', reason: 'timeout' }, value: 0 },
    ]);
    expect(exporter.output()).toMatch(/config slow: left out of this scrape, it took longer than --config.scrape-timeout \(500 ms\)/);
  });

  it('does not keep SIGTERM waiting: the process exits within 2 s mid-scrape and detaches everything', async () => {
    const before = await loadedProgramIds();
    exporter = await startExporter(configDir(), ['slow', 'timers'], ['--config.scrape-timeout=0']);
    const running = exporter;
    await fillCounterMap(running.pid, 'ops_total', ENTRIES);
    // Files run one at a time (vitest.config.ts), so the programs loaded since are the exporter's.
    const programs = [...(await loadedProgramIds())].filter((id) => !before.has(id));
    expect(programs.length).toBeGreaterThan(0);
    const long = fetch(`${running.baseUrl}/metrics`).then(
      async (response) => (await response.text(), 'answered'),
      () => 'cut',
    );
    // While the slow scrape runs, other requests are answered.
    expect((await fetch(`${running.baseUrl}/`)).status).toBe(200);
    const exited = new Promise<number>((resolve) => running.process.once('exit', () => resolve(performance.now())));
    const signalled = performance.now();
    running.process.kill('SIGTERM');
    expect((await exited) - signalled).toBeLessThan(2000);
    expect(running.process.exitCode).toBe(0);
    // The scrape (seconds of decoding) was still running: shutdown stopped waiting for it.
    expect(await long).toBe('cut');
    expect(running.output()).toMatch(/Still closing after 1000 ms, detaching without waiting for open requests/);
    expect(await programsStillLoaded(programs)).toEqual([]);
  });
});
