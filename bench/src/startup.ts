// Startup cost: the exporter loading and attaching every example this host can run, as its own log line
// reports it, and the time from spawn to the first successful scrape.
import { join } from 'node:path';
import { startExporter } from './exporter-under-test';
import { hostCapableExamples, type ExampleSelection } from './host-examples';
import { timedGet } from './http-client';
import { REPO_ROOT } from './paths';
import { median } from './stats';

export interface StartupResult {
  examples: ExampleSelection;
  runs: number;
  /** Median of the exporter's "Started with N programs ... in Xms". */
  attachMs: number;
  /** Median from spawn to the first 200 from /metrics. */
  firstScrapeMs: number;
}

export async function measureStartup(runs: number): Promise<StartupResult> {
  const examplesDir = join(REPO_ROOT, 'examples');
  const examples = hostCapableExamples(examplesDir);
  const attachMs: number[] = [];
  const firstScrapeMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    const spawned = performance.now();
    const exporter = await startExporter(examplesDir, examples.capable);
    try {
      const scrape = await timedGet(`${exporter.baseUrl}/metrics`);
      if (scrape.status !== 200) throw new Error(`first scrape answered ${scrape.status}`);
      firstScrapeMs.push(performance.now() - spawned);
      if (!Number.isFinite(exporter.attachMs)) throw new Error(`no "Started with" line in the exporter's output:\n${exporter.output()}`);
      attachMs.push(exporter.attachMs);
    } finally {
      await exporter.stop();
    }
  }
  return { examples, runs, attachMs: median(attachMs), firstScrapeMs: median(firstScrapeMs) };
}
