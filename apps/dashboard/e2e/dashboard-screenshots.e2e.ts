// The dashboard as a new user meets it (#20): the real exporter with default history settings (a sample
// every 5 s) under a bounded disk IO workload, the page opened with its default view after 10 s, 60 s and
// 5 minutes, at a desktop and a phone viewport, light and dark. Each view is saved as a PNG under
// dist/test-artifacts/dashboard/ and checked by its pixels: the heatmap's plot is not blank once it has
// data, no cell lies outside the plot, the newest column is as wide as its neighbours, and the data fills
// the axis from the first sample on instead of a sliver at its right edge.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colouredPixels, launchBrowser, screenshot } from './browser';
import { heatmapPixels } from './heatmap-pixels';
import { driveDiskIo, NOT_ROOT_REASON, startExporter, type RunningExporter } from './exporter';

const HEATMAP = 'biolatency.bio_latency_seconds';
const RATES = 'timers.timer_starts_total';
const MANY_SERIES = 'syscalls.syscalls_total';
const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const THEMES = ['light', 'dark'] as const;
/** Seconds after the exporter's start; the last is the longest case of the suite (see the dashboard README). */
const CHECKPOINTS = [10, 60, 300] as const;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function openView(browser: Browser, url: string, viewport: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  return { page, errors };
}

describe.skipIf(NOT_ROOT_REASON)(`dashboard screenshots over the first minutes${NOT_ROOT_REASON ? ` (${NOT_ROOT_REASON})` : ''}`, () => {
  let exporter: RunningExporter;
  let browser: Browser;
  let startedAt = 0;
  let io: Promise<void> | undefined;
  let stopIo = false;

  beforeAll(async () => {
    exporter = await startExporter(['--config.dir=examples', '--config.names=timers,biolatency,syscalls']);
    startedAt = Date.now();
    // Bounded in count and in time: about 1.5 rounds a second until the last checkpoint is done.
    io = (async () => {
      for (let round = 0; round < 600 && !stopIo && Date.now() - startedAt < 420_000; round++) await driveDiskIo(1, 400);
    })();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    stopIo = true;
    await io;
    await browser?.close();
    await exporter?.stop();
  });

  for (const seconds of CHECKPOINTS) {
    it(
      `after ${seconds} s: every viewport and theme draws what the history holds, cells inside the plot and one step wide`,
      async () => {
        const wait = startedAt + seconds * 1000 - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        for (const viewport of VIEWPORTS) {
          for (const theme of THEMES) {
            const shot = `first-minutes-${seconds}s-${viewport.name}-${theme}`;
            const { page, errors } = await openView(browser, `${exporter.url}/dashboard/${theme === 'dark' ? '#theme=dark' : ''}`, viewport);
            await page.waitForSelector(`[data-panel-id="${HEATMAP}"][data-state="ready"]`);
            await screenshot(page, shot);
            expect(await page.$eval('#status', (el) => el.textContent), shot).toMatch(/collecting since/);

            const pixels = await heatmapPixels(page, HEATMAP);
            expect(pixels, shot).toBeDefined();
            if (!pixels) return;
            expect(pixels.outside, `${shot}: cell pixels outside the plot`).toBe(0);
            const empty = await page.$eval(`[data-panel-id="${HEATMAP}"]`, (el) => (el as HTMLElement).dataset.empty === 'true');
            if (seconds === CHECKPOINTS[0] && empty) {
              // Too early for a rate: the panel says so and when one is due, and draws no cell.
              expect(await page.$eval(`[data-panel-id="${HEATMAP}"] .empty`, (el) => (el as HTMLElement).innerText), shot).toMatch(/due|next/);
              expect(pixels.inside, shot).toBe(0);
            } else {
              expect(empty, `${shot}: heatmap empty`).toBe(false);
              expect(pixels.inside, `${shot}: blank plot`).toBeGreaterThan(50);
            }
            if (pixels.columns.length >= 3) {
              const newest = pixels.columns[pixels.columns.length - 1] as { width: number };
              const neighbours = pixels.columns.slice(-4, -1).map((c) => c.width);
              expect(Math.abs(newest.width - median(neighbours)), `${shot}: newest column ${newest.width} px, neighbours ${neighbours}`).toBeLessThanOrEqual(1);
            }
            if (seconds > CHECKPOINTS[0]) {
              // The axis starts at the first sample: the IO, running since then, fills it from the left.
              const first = pixels.columns[0] as { left: number };
              const plotWidth = pixels.plot.right - pixels.plot.left;
              expect((first.left - pixels.plot.left) / plotWidth, `${shot}: first column at ${first.left - pixels.plot.left} of ${plotWidth} px`).toBeLessThan(0.3);
              expect(await colouredPixels(page, `[data-panel-id="${RATES}"]`), `${shot}: rate lines`).toBeGreaterThan(0);
              // Off the chart the legend shows the newest values, never a dash.
              const legend = await page.$eval(`[data-panel-id="${RATES}"] .u-legend`, (el) => (el as HTMLElement).innerText);
              expect(legend, shot).toContain('latest');
              expect(legend, shot).not.toMatch(/–|--/);
              expect(legend, shot).toMatch(/\d\/s/);
              // Syscalls has far more series than lines drawn: the rest are one "other" line.
              expect(await page.$eval(`[data-panel-id="${MANY_SERIES}"] .u-legend`, (el) => (el as HTMLElement).innerText), shot).toMatch(/other \(\d+ series\)/);
              expect(await page.$eval(`[data-panel-id="${MANY_SERIES}"] .series-summary`, (el) => (el as HTMLElement).innerText), shot).toMatch(/summed into one line/);
            }
            expect(errors, shot).toEqual([]);
            await page.close();
          }
        }
      },
      (seconds + 180) * 1000,
    );
  }
});
