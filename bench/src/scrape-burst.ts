// Memory after a burst of concurrent scrapes (the web-layer issue: 100 at once took the RSS from 100 to
// 207 MB and it stayed there). The burst is rounds of concurrent GETs on fresh connections, as many
// Prometheus servers and curious clients at once; the RSS is then read every second until it is back
// within RECOVERED_RATIO of the idle figure, or the wait is over.
import { Agent, get } from 'node:http';
import type { ExporterUnderTest } from './exporter-under-test';

export interface BurstPlan {
  /** Scrapes in flight at once, per round. */
  concurrency: number;
  rounds: number;
  /** How long the RSS is watched after the burst. */
  watchMs: number;
}

export interface BurstResult {
  concurrency: number;
  rounds: number;
  /** Answers by status (503 past --web.max-requests). */
  statuses: Record<string, number>;
  peakRssMiB: number;
  /** Seconds after the burst until the RSS was within RECOVERED_RATIO of idle; undefined if it never was. */
  recoveredAfterS: number | undefined;
  /** RSS at the end of the watch. */
  finalRssMiB: number;
}

export const RECOVERED_RATIO = 1.1;

function status(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent, headers: { 'accept-encoding': 'gzip' } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    }).on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureBurst(exporter: ExporterUnderTest, url: string, idleRssMiB: number, plan: BurstPlan): Promise<BurstResult> {
  const agent = new Agent({ keepAlive: false, maxSockets: plan.concurrency });
  const statuses: Record<string, number> = {};
  let peakRssMiB = exporter.memory().rssMiB;
  try {
    for (let round = 0; round < plan.rounds; round++) {
      const answers = await Promise.all(Array.from({ length: plan.concurrency }, () => status(url, agent)));
      for (const answer of answers) statuses[answer] = (statuses[answer] ?? 0) + 1;
      peakRssMiB = Math.max(peakRssMiB, exporter.memory().rssMiB);
    }
  } finally {
    agent.destroy();
  }
  const started = performance.now();
  let recoveredAfterS: number | undefined;
  let rssMiB = exporter.memory().rssMiB;
  for (;;) {
    if (recoveredAfterS === undefined && rssMiB <= idleRssMiB * RECOVERED_RATIO) recoveredAfterS = (performance.now() - started) / 1000;
    if (performance.now() - started >= plan.watchMs) break;
    await sleep(1000);
    rssMiB = exporter.memory().rssMiB;
  }
  return { concurrency: plan.concurrency, rounds: plan.rounds, statuses, peakRssMiB, recoveredAfterS, finalRssMiB: rssMiB };
}
