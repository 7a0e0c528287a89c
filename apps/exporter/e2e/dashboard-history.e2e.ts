// The dashboard's in-memory history on the real exporter: it records the scrapes Prometheus makes, and
// reads the BPF maps itself only when none came for a resolution. Seen through the history's own counts
// (/dashboard/api/history/stats): `ownReads`, its reads of every map (the only ones besides /metrics and
// --debug's /maps), and `recordedScrapes`, the scrapes it kept as samples.
import { describe, expect, it } from 'vitest';
import { startExporter, type RunningExporter } from './exporter-process';

const RESOLUTION_SECONDS = 2;

interface HistoryStats {
  recordedScrapes: number;
  ownReads: number;
}

async function stats(exporter: RunningExporter): Promise<HistoryStats> {
  return (await (await fetch(`${exporter.url}/dashboard/api/history/stats`)).json()) as HistoryStats;
}

async function scrape(exporter: RunningExporter): Promise<void> {
  const response = await fetch(`${exporter.url}/metrics`);
  expect(response.status).toBe(200);
  await response.text();
}

describe('dashboard history', () => {
  it('reads the maps only for the scrapes while they come often, and by itself once they stop', async () => {
    const exporter = await startExporter(['--config.dir=examples', '--config.names=timers', `--dashboard.history-resolution=${RESOLUTION_SECONDS}`]);
    try {
      await scrape(exporter);
      const before = await stats(exporter);
      // Back-to-back scrapes until three more slots were recorded from them: at least two resolutions,
      // so at least one tick of the history's timer, each of which saw a scrape since the one before.
      let during = before;
      while (during.recordedScrapes < before.recordedScrapes + 3) {
        for (let i = 0; i < 10; i++) await scrape(exporter);
        during = await stats(exporter);
      }
      expect(during.ownReads).toBe(before.ownReads);
      // Without scrapes the history goes back to reading the maps itself (and so the count above is live).
      let after = during;
      const deadline = Date.now() + 30_000;
      while (after.ownReads === during.ownReads && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        after = await stats(exporter);
      }
      expect(after.ownReads).toBeGreaterThan(during.ownReads);
      expect(after.recordedScrapes).toBe(during.recordedScrapes);
    } finally {
      await exporter.stop();
    }
  });
});
