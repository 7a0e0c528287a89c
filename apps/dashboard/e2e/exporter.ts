// The built exporter started as users start it (test-support's startExporter), waiting for the dashboard,
// plus the disk IO that makes the biolatency example observe something.
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT, startExporter as startLauncher, type RunningExporter } from '@ebpf-exporter/test-support';

export { REPO_ROOT, type RunningExporter } from '@ebpf-exporter/test-support';

/** BPF needs CAP_BPF + CAP_PERFMON; the tests run as root like the exporter does in production. */
export const NOT_ROOT_REASON =
  process.getuid?.() === 0 ? undefined : 'needs root: loading BPF programs requires CAP_BPF and CAP_PERFMON';

/** The exporter, once its dashboard API answers (unknown paths answer the landing page, as upstream's do). */
export function startExporter(args: readonly string[], port?: number): Promise<RunningExporter> {
  return startLauncher(args, {
    ...(port === undefined ? {} : { port }),
    timeoutMs: 60_000,
    probe: async (p) => {
      const response = await fetch(`http://127.0.0.1:${p}/dashboard/api/info`);
      return response.ok && (response.headers.get('content-type')?.includes('application/json') ?? false);
    },
  });
}

/**
 * Direct (uncached) writes to a file on the root filesystem, so they reach the block layer that the
 * biolatency example traces. /tmp is on the same disk here; a tmpfs /tmp would bypass the block layer.
 */
export async function driveDiskIo(rounds: number, pauseMs = 500): Promise<void> {
  const dir = await mkdtemp(join(REPO_ROOT, 'dist', '.dashboard-e2e-io-'));
  try {
    for (let i = 0; i < rounds; i++) {
      await execa('dd', ['if=/dev/zero', `of=${join(dir, 'x')}`, 'bs=4k', 'count=2000', 'oflag=direct']);
      await execa('dd', [`if=${join(dir, 'x')}`, 'of=/dev/null', 'bs=4k', 'count=500', 'iflag=direct']);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Asks the history API for the last 5 minutes of `metric` every 500 ms until `enough` accepts the answer,
 * for at most `timeoutMs`. The history samples on its own timer: on a loaded machine the samples taken while
 * a workload ran can lag behind it by seconds.
 */
async function waitForHistory<T>(
  exporter: RunningExporter,
  endpoint: 'buckets' | 'counters',
  metric: string,
  window: number,
  enough: (answer: T) => boolean,
  failure: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const end = Math.floor(Date.now() / 1000);
    const params = new URLSearchParams({ metric, start: String(end - 300), end: String(end), step: '1', window: String(window) });
    const response = await fetch(`${exporter.url}/dashboard/api/history/${endpoint}?${params}`);
    if (enough((await response.json()) as T)) return;
    if (Date.now() > deadline) throw new Error(`${failure} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Waits until the history holds a non-zero rate for `metric`'s histogram, so the page has something to draw. */
export function waitForHistoryRates(exporter: RunningExporter, metric: string, timeoutMs = 60_000): Promise<void> {
  return waitForHistory<{ cumulativeRates: (number | null)[][] }>(
    exporter,
    'buckets',
    metric,
    5,
    ({ cumulativeRates }) => cumulativeRates.some((row) => row.some((rate) => rate !== null && rate > 0)),
    `no non-zero rate of ${metric} in the exporter's history`,
    timeoutMs,
  );
}

/** Waits until the history holds at least `count` samples of the gauge `metric`: a line of one or two is a dot. */
export function waitForGaugeSamples(exporter: RunningExporter, metric: string, count: number, timeoutMs = 60_000): Promise<void> {
  const samples = (series: { values: (number | null)[] }[]) => Math.max(0, ...series.map((s) => s.values.filter((v) => v !== null).length));
  return waitForHistory<{ series: { values: (number | null)[] }[] }>(
    exporter,
    'counters',
    metric,
    1,
    ({ series }) => samples(series) >= count,
    `fewer than ${count} samples of ${metric} in the exporter's history`,
    timeoutMs,
  );
}
