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
 * Waits until the exporter's history holds a non-zero rate for `metric`'s histogram, so the page has
 * something to draw when it opens. The history samples on its own timer: on a loaded machine the samples
 * taken while driveDiskIo ran can lag behind it by seconds.
 */
export async function waitForHistoryRates(exporter: RunningExporter, metric: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const end = Math.floor(Date.now() / 1000);
    const params = new URLSearchParams({ metric, start: String(end - 300), end: String(end), step: '1', window: '5' });
    const response = await fetch(`${exporter.url}/dashboard/api/history/buckets?${params}`);
    const { cumulativeRates } = (await response.json()) as { cumulativeRates: (number | null)[][] };
    if (cumulativeRates.some((row) => row.some((rate) => rate !== null && rate > 0))) return;
    if (Date.now() > deadline) throw new Error(`no non-zero rate of ${metric} in the exporter's history after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
