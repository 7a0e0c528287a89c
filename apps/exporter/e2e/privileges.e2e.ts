// --capabilities.keep: the exporter attaches as root, then gives up capabilities on every thread and keeps
// serving real values (open map descriptors need no capabilities; ksym uses kallsyms read before the drop).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSamples, runExporter, startExporter, type RunningExporter } from './exporter-process';

const CAP_SETS = ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb'] as const;
const ZERO = '0000000000000000';

/** The capability sets of every thread of `pid`. */
function threadCapabilities(pid: number): Array<Record<(typeof CAP_SETS)[number], string>> {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
    const field = (name: string): string => new RegExp(`^${name}:\\s*(\\S+)`, 'm').exec(status)?.[1] ?? '?';
    return Object.fromEntries(CAP_SETS.map((set) => [set, field(set)])) as Record<(typeof CAP_SETS)[number], string>;
  });
}

async function timerStarts(exporter: RunningExporter): Promise<Map<string, number>> {
  const samples = parseSamples(await (await fetch(`${exporter.url}/metrics`)).text());
  return new Map(samples.filter((s) => s.name === 'ebpf_exporter_timer_starts_total').map((s) => [s.labels.function ?? '', s.value]));
}

async function withExporter(args: string[], check: (exporter: RunningExporter, pid: number) => Promise<void>): Promise<void> {
  const exporter = await startExporter(['--config.dir=examples', '--config.names=timers', ...args]);
  try {
    const pid = exporter.process.pid;
    if (pid === undefined) throw new Error('exporter has no pid');
    await check(exporter, pid);
  } finally {
    const { exitCode } = await exporter.stop();
    expect(exitCode).toBe(0);
  }
}

describe('--capabilities.keep', () => {
  it('none: every set of every thread is empty and scrapes still return real values', async () => {
    await withExporter(['--capabilities.keep=none'], async (exporter, pid) => {
      const threads = threadCapabilities(pid);
      expect(threads.length).toBeGreaterThan(5);
      for (const thread of threads) expect(thread).toEqual({ CapInh: ZERO, CapPrm: ZERO, CapEff: ZERO, CapBnd: ZERO, CapAmb: ZERO });
      expect(exporter.output()).toMatch(/Dropped capabilities on \d+ threads, keeping: none/);

      const first = await timerStarts(exporter);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const second = await timerStarts(exporter);
      // Counts keep growing after the drop, and ksym still names real kernel functions.
      const total = (counts: Map<string, number>): number => [...counts.values()].reduce((a, b) => a + b, 0);
      expect(total(second)).toBeGreaterThan(total(first));
      expect([...second.keys()].some((name) => name.endsWith('_fn') || name.includes('timer'))).toBe(true);
      expect([...second.keys()].filter((name) => name.startsWith('unknown_addr'))).toEqual([]);
      const samples = parseSamples(await (await fetch(`${exporter.url}/metrics`)).text());
      expect(samples.find((s) => s.name === 'ebpf_exporter_decoder_errors_total')).toMatchObject({ labels: { config: 'timers' }, value: 0 });
      expect(samples.find((s) => s.name === 'ebpf_exporter_ebpf_program_attached')?.value).toBe(1);
    });
  });

  it('a list keeps exactly those capabilities', async () => {
    await withExporter(['--capabilities.keep=cap_bpf,cap_perfmon'], async (_exporter, pid) => {
      const kept = ((1n << 38n) | (1n << 39n)).toString(16).padStart(16, '0');
      for (const thread of threadCapabilities(pid)) {
        expect([thread.CapEff, thread.CapPrm, thread.CapBnd, thread.CapAmb]).toEqual([kept, kept, kept, ZERO]);
      }
    });
  });

  it('all (the default) changes nothing', async () => {
    const own = threadCapabilities(process.pid)[0];
    await withExporter([], async (_exporter, pid) => {
      for (const thread of threadCapabilities(pid)) expect(thread.CapEff).toBe(own?.CapEff);
    });
  });

  it('an unknown capability name is one clear startup error', async () => {
    const result = await runExporter(['--config.dir=examples', '--config.names=timers', '--capabilities.keep=cap_bpf,cap_teleport']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe('ebpf_exporter: error: --capabilities.keep: unknown capability "cap_teleport": expected all, none or names like cap_bpf,cap_perfmon,cap_syslog');
  });
});
