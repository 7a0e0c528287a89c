// Live reload on the real kernel: SIGHUP and POST /-/reload against configs copied into a scratch
// directory, which the tests edit as an operator would. What is checked comes from the kernel (bpftool's
// program ids, the process's BPF descriptors) and from the exposition, never from the exporter's own log.
import { execa } from 'execa';
import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort, loadedProgramIds, parseSamples, programsStillLoaded, REPO_ROOT, runExporter, startExporter, type RunningExporter } from './exporter-process';

const EXAMPLES = join(REPO_ROOT, 'examples');

let dir: string;
let exporter: RunningExporter | undefined;

function copyExample(name: string): void {
  for (const ext of ['yaml', 'bpf.o']) copyFileSync(join(EXAMPLES, `${name}.${ext}`), join(dir, `${name}.${ext}`));
}

const setNames = (...names: string[]): void => writeFileSync(join(dir, 'names'), `${names.join('\n')}\n`);

async function start(...extra: string[]): Promise<RunningExporter> {
  exporter = await startExporter([`--config.dir=${dir}`, `--config.names=@${join(dir, 'names')}`, '--web.enable-lifecycle', ...extra]);
  return exporter;
}

async function scrape(running: RunningExporter): Promise<ReturnType<typeof parseSamples>> {
  const response = await fetch(`${running.url}/metrics`);
  expect(response.status).toBe(200);
  return parseSamples(await response.text());
}

const total = (samples: ReturnType<typeof parseSamples>, name: string): number => samples.filter((s) => s.name === name).reduce((sum, s) => sum + s.value, 0);
const value = (samples: ReturnType<typeof parseSamples>, name: string): number | undefined => samples.find((s) => s.name === name)?.value;

/** The ids of a config's programs, from ebpf_exporter_ebpf_program_info. */
const programIds = (samples: ReturnType<typeof parseSamples>, config: string): number[] =>
  samples.filter((s) => s.name === 'ebpf_exporter_ebpf_program_info' && s.labels.config === config).map((s) => Number(s.labels.id));

async function reload(running: RunningExporter): Promise<{ status: number; body: string }> {
  const response = await fetch(`${running.url}/-/reload`, { method: 'POST' });
  return { status: response.status, body: await response.text() };
}

/** The process's descriptors of BPF programs, maps, links, perf events and epolls (perf and ring buffers poll one each): what a leak would add to. */
function bpfDescriptors(pid: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed between readdir and readlink
    }
    const kind = /^anon_inode:(bpf-prog|bpf-map|bpf_link|\[perf_event\]|\[eventpoll\])$/.exec(target)?.[1];
    if (kind) counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** Resolves once the exporter has written `count` reload lines: reloads from signals have no answer to wait for. */
async function reloadLines(running: RunningExporter, atLeast: number, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = running.output().split('\n').filter((line) => /Reloaded configs|Reload failed/.test(line)).length;
    if (lines >= atLeast || Date.now() > deadline) return lines;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'reload-e2e-'));
  copyExample('timers');
  copyExample('biolatency');
});

afterEach(async () => {
  await exporter?.stop();
  exporter = undefined;
  copyExample('timers');
  copyExample('biolatency');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('live reload', () => {
  it('keeps a counter counting across 20 reloads, new layouts included, with its programs attached throughout', async () => {
    setNames('timers');
    const running = await start();
    const first = await scrape(running);
    const ids = programIds(first, 'timers');
    expect(ids.length).toBeGreaterThan(0);
    let previous = total(first, 'ebpf_exporter_timer_starts_total');
    const yaml = readFileSync(join(dir, 'timers.yaml'), 'utf8');
    for (let round = 1; round <= 20; round++) {
      // Every other round changes the help text (a new layout over the same maps), the others change nothing.
      if (round % 2 === 0) writeFileSync(join(dir, 'timers.yaml'), yaml.replace(/help: .*/, `help: Timers started, round ${round}`));
      if (round % 4 === 1) {
        process.kill(running.process.pid as number, 'SIGHUP');
        await reloadLines(running, round);
      } else {
        const answer = await reload(running);
        expect(answer.status, answer.body).toBe(200);
      }
      const samples = await scrape(running);
      const now = total(samples, 'ebpf_exporter_timer_starts_total');
      expect(now, `round ${round}`).toBeGreaterThanOrEqual(previous);
      expect(programIds(samples, 'timers')).toEqual(ids);
      previous = now;
    }
    const text = await (await fetch(`${running.url}/metrics`)).text();
    expect(text).toContain('# HELP ebpf_exporter_timer_starts_total Timers started, round 20');
    expect(await reloadLines(running, 20)).toBe(20);
    expect(running.output()).not.toContain('Reload failed');
  });

  it('adds a config listed in the names file and detaches one taken out of it', async () => {
    setNames('timers');
    const running = await start();
    setNames('timers', 'biolatency');
    const added = await reload(running);
    expect(added).toEqual({ status: 200, body: 'kept timers; added biolatency\n' });
    const withBio = await scrape(running);
    const bioIds = programIds(withBio, 'biolatency');
    expect(bioIds.length).toBeGreaterThan(0);
    const loaded = await loadedProgramIds();
    for (const id of bioIds) expect(loaded.has(id)).toBe(true);
    expect(withBio.some((s) => s.name === 'ebpf_exporter_enabled_configs' && s.labels.name === 'biolatency')).toBe(true);

    setNames('timers');
    expect(await reload(running)).toEqual({ status: 200, body: 'kept timers; removed biolatency\n' });
    expect(await programsStillLoaded(bioIds)).toEqual([]);
    const without = await scrape(running);
    expect(without.some((s) => s.labels.config === 'biolatency' || s.labels.name === 'biolatency')).toBe(false);
  });

  it('leaves the running set as it was when a new YAML or a new object is broken, and says which', async () => {
    setNames('timers', 'biolatency');
    const running = await start();
    const before = await scrape(running);
    const ids = [...programIds(before, 'timers'), ...programIds(before, 'biolatency')];
    const descriptors = bpfDescriptors(running.process.pid as number);

    appendFileSync(join(dir, 'timers.yaml'), 'metrics: [\n');
    const badYaml = await reload(running);
    expect(badYaml.status).toBe(400);
    expect(badYaml.body).toContain(`${join(dir, 'timers.yaml')}:`);
    copyExample('timers');

    writeFileSync(join(dir, 'biolatency.bpf.o'), 'not an ELF object\n');
    const badObject = await reload(running);
    expect(badObject.status).toBe(500);
    expect(badObject.body).toMatch(/config biolatency: cannot open .*biolatency\.bpf\.o/);

    const after = await scrape(running);
    expect(value(after, 'ebpf_exporter_config_last_reload_successful')).toBe(0);
    expect([...programIds(after, 'timers'), ...programIds(after, 'biolatency')]).toEqual(ids);
    // Nothing the failed attempts opened stayed open.
    expect(bpfDescriptors(running.process.pid as number)).toEqual(descriptors);
    expect(total(after, 'ebpf_exporter_timer_starts_total')).toBeGreaterThanOrEqual(total(before, 'ebpf_exporter_timer_starts_total'));

    copyExample('biolatency');
    expect((await reload(running)).status).toBe(200);
    const fixed = await scrape(running);
    expect(value(fixed, 'ebpf_exporter_config_last_reload_successful')).toBe(1);
    expect(value(fixed, 'ebpf_exporter_config_last_reload_success_timestamp_seconds')).toBeGreaterThan(value(before, 'ebpf_exporter_config_last_reload_success_timestamp_seconds') as number);
  });

  it('serves every scrape whole while reloads replace the object under it', async () => {
    setNames('timers', 'biolatency');
    const running = await start();
    const ids = programIds(await scrape(running), 'timers');
    for (let round = 0; round < 8; round++) {
      // A byte more makes a new object for the reload (libbpf ignores what follows the ELF sections).
      appendFileSync(join(dir, 'timers.bpf.o'), Buffer.alloc(1));
      const scrapes = Array.from({ length: 4 }, () => fetch(`${running.url}/metrics`).then(async (r) => ({ status: r.status, text: await r.text() })));
      const answer = await reload(running);
      expect(answer.status, answer.body).toBe(200);
      expect(answer.body).toMatch(/replaced timers/);
      for (const { status, text } of await Promise.all(scrapes)) {
        expect(status).toBe(200);
        expect(parseSamples(text).some((s) => s.name === 'ebpf_exporter_enabled_configs' && s.labels.name === 'timers')).toBe(true);
      }
    }
    expect(await programsStillLoaded(ids)).toEqual([]);
    expect(programIds(await scrape(running), 'timers').length).toBe(ids.length);
  });

  it('survives 100 SIGHUPs in a second with no program, map, link or descriptor left behind', async () => {
    setNames('timers', 'biolatency');
    const running = await start();
    const pid = running.process.pid as number;
    const before = bpfDescriptors(pid);
    const ids = programIds(await scrape(running), 'timers');
    // The storm's first reload also replaces timers' object: the old one must go as the storm goes on.
    appendFileSync(join(dir, 'timers.bpf.o'), Buffer.alloc(1));
    for (let i = 0; i < 100; i++) {
      process.kill(pid, 'SIGHUP');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Reloads requested while one waits share it: fewer than 100 ran, and at least one after the last signal.
    const settled = await reloadLines(running, 1);
    expect(settled).toBeGreaterThan(0);
    let answer = await reload(running);
    expect(answer.status, answer.body).toBe(200);
    answer = await reload(running);
    expect(answer.body).toBe('kept timers, biolatency\n');
    expect(running.output()).not.toContain('Reload failed');
    expect(await programsStillLoaded(ids)).toEqual([]);
    expect(bpfDescriptors(pid)).toEqual(before);
    expect(programIds(await scrape(running), 'timers').length).toBe(ids.length);
  });

  it('opens perf buffers, ring buffers and their families with their configs, and closes them with them', async () => {
    copyExample('signals');
    copyExample('exec-trace');
    // Spans go nowhere during the test: the batch is sent only at shutdown, to a port nobody listens on.
    Object.assign(process.env, { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await freePort()}`, OTEL_BSP_SCHEDULE_DELAY: '600000' });
    setNames('timers');
    const running = await start().finally(() => {
      delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
      delete process.env.OTEL_BSP_SCHEDULE_DELAY;
    });
    const pid = running.process.pid as number;
    const before = bpfDescriptors(pid);

    setNames('timers', 'signals', 'exec-trace');
    expect(await reload(running)).toEqual({ status: 200, body: 'kept timers; added signals, exec-trace\n' });
    const opened = bpfDescriptors(pid);
    expect(opened['[perf_event]'] ?? 0).toBeGreaterThan(before['[perf_event]'] ?? 0);
    // Children exiting make the kernel generate SIGCHLD, which the signals config counts from its perf buffer.
    let counted = 0;
    for (let attempt = 0; attempt < 50 && counted === 0; attempt++) {
      await execa('true');
      counted = total(await scrape(running), 'ebpf_exporter_signals_generated_total');
    }
    expect(counted).toBeGreaterThan(0);
    const withEvents = await scrape(running);
    expect(withEvents.some((s) => s.name === 'ebpf_exporter_perf_event_array_lost_events_total' && s.labels.config === 'signals')).toBe(true);
    expect(withEvents.some((s) => s.name === 'ebpf_exporter_tracing_lost_spans_total' && s.labels.config === 'exec-trace')).toBe(true);

    setNames('timers');
    expect(await reload(running)).toEqual({ status: 200, body: 'kept timers; removed signals, exec-trace\n' });
    const without = await scrape(running);
    expect(without.some((s) => s.labels.config === 'signals' || s.labels.config === 'exec-trace')).toBe(false);
    expect(bpfDescriptors(pid)).toEqual(before);
  });

  it('refuses --web.enable-lifecycle at startup when capabilities that loading needs are dropped', async () => {
    setNames('timers');
    const result = await runExporter([`--config.dir=${dir}`, `--config.names=@${join(dir, 'names')}`, '--web.enable-lifecycle', '--capabilities.keep=none']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('--web.enable-lifecycle: --capabilities.keep=none drops cap_bpf, cap_perfmon, which loading a config needs');
  });
});
