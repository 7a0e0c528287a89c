// The dashboard in its default mode: the real exporter running the timers and biolatency examples
// under disk IO, its in-memory history, and the app in Debian's Chromium.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, paintedPixels, screenshot } from './browser';
import { driveDiskIo, NOT_ROOT_REASON, startExporter, waitForHistoryRates, type RunningExporter } from './exporter';

const HEATMAP = 'biolatency.bio_latency_seconds';
const RATES = 'timers.timer_starts_total';

const cellsDrawn = (page: Page, id: string) =>
  page.$eval(`[data-panel-id="${id}"] .chart`, (el) => Number((el as HTMLElement).dataset.cellsDrawn ?? 0));

/**
 * Hovers the heatmap from its newest instant backwards until the tooltip shows a histogram, pixel by pixel
 * over the whole width: the disk IO fills only a few one-second columns of the 5-minute range (a scan of
 * the newest half at 4-pixel steps, about 3 s apart, once missed all of them).
 */
async function tooltipWithBuckets(page: Page): Promise<string> {
  const over = `[data-panel-id="${HEATMAP}"] .u-over`;
  const width = await page.$eval(over, (el) => (el as HTMLElement).clientWidth);
  let text = '';
  for (let x = width - 1; x > 0; x -= 1) {
    await page.hover(over, { position: { x, y: 50 } });
    text = await page.$eval(`[data-panel-id="${HEATMAP}"] .tooltip`, (el) => (el as HTMLElement).innerText);
    if (text.includes('≤')) break;
  }
  return text;
}

describe.skipIf(NOT_ROOT_REASON)(`dashboard on the exporter's history${NOT_ROOT_REASON ? ` (${NOT_ROOT_REASON})` : ''}`, () => {
  let exporter: RunningExporter;
  let browser: Browser;

  beforeAll(async () => {
    exporter = await startExporter(['--config.dir=examples', '--config.names=timers,biolatency', '--dashboard.history-resolution=1']);
    // Enough samples for several rate points, with IO in every one of them.
    await driveDiskIo(8);
    await waitForHistoryRates(exporter, 'ebpf_exporter_bio_latency_seconds');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await exporter?.stop();
  });

  it('loads without console errors and draws heatmap cells and rate lines from real BPF data', async () => {
    const { page, errors } = await openPage(browser, `${exporter.url}/dashboard/#range=300&refresh=0`);
    expect(await cellsDrawn(page, HEATMAP)).toBeGreaterThan(0);
    expect(await paintedPixels(page, HEATMAP)).toBeGreaterThan(500);
    expect(await page.$eval(`[data-panel-id="${RATES}"] .chart`, (el) => Number((el as HTMLElement).dataset.seriesDrawn))).toBeGreaterThan(0);
    expect(await tooltipWithBuckets(page)).toMatch(/≤ .*s/);
    await screenshot(page, 'history-light');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('redraws when a label filter or the time range changes, and keeps both in the URL', async () => {
    const { page, errors } = await openPage(browser, `${exporter.url}/dashboard/#range=300&refresh=0`);
    const all = await cellsDrawn(page, HEATMAP);

    // dd writes much more than it reads: the write-only heatmap differs from the unfiltered one.
    const bucketsRequest = page.waitForResponse((r) => r.url().includes('/api/history/buckets') && r.url().includes('filter=operation%3Dread'));
    await page.selectOption(`[data-panel-id="${HEATMAP}"] select[name="operation"]`, 'read');
    const stepOf = (url: string) => Number(new URL(url).searchParams.get('step'));
    const fineStep = stepOf((await bucketsRequest).url());
    await page.waitForFunction(
      ([id, before]) => Number(document.querySelector<HTMLElement>(`[data-panel-id="${id}"] .chart`)?.dataset.cellsDrawn) !== before,
      [HEATMAP, all] as const,
    );
    const readOnly = await cellsDrawn(page, HEATMAP);
    expect(readOnly).toBeLessThan(all);
    expect(new URL(page.url()).hash).toContain(`f.${HEATMAP}.operation=read`);
    await screenshot(page, 'history-filtered-read');

    // A 15-minute range asks for coarser steps than 5 minutes, and still draws the same data. (How many
    // cells that leaves depends on where the few reads fell, so the step is what is compared.)
    const coarseRequest = page.waitForResponse((r) => r.url().includes('/api/history/buckets') && r.url().includes('filter=operation%3Dread'));
    await page.selectOption('select[name="range"]', '900');
    expect(stepOf((await coarseRequest).url())).toBeGreaterThan(fineStep);
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForFunction((id) => document.querySelector<HTMLElement>(`[data-panel-id="${id}"]`)?.dataset.state === 'ready', HEATMAP);
    expect(new URL(page.url()).hash).toContain('range=900');
    expect(await cellsDrawn(page, HEATMAP)).toBeGreaterThan(0);
    // The filter survived the rebuild because it lives in the URL.
    expect(await page.$eval(`[data-panel-id="${HEATMAP}"] select[name="operation"]`, (el) => (el as HTMLSelectElement).value)).toBe('read');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws thresholds, percentage colouring and the dark theme from a shared URL', async () => {
    const hash = `#range=300&refresh=0&theme=dark&color=percent&t.${HEATMAP}=0.0001,0.001`;
    const { page, errors } = await openPage(browser, `${exporter.url}/dashboard/${hash}`);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const legend = await page.$eval(`[data-panel-id="${HEATMAP}"] .u-legend`, (el) => (el as HTMLElement).innerText);
    expect(legend).toContain('threshold 100 µs');
    expect(legend).toContain('threshold 1 ms');
    expect(await cellsDrawn(page, HEATMAP)).toBeGreaterThan(0);
    await screenshot(page, 'history-dark-percent-thresholds');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('restores a view from a query-string link with units, and falls back quietly on values it does not know', async () => {
    const { page, errors } = await openPage(browser, `${exporter.url}/dashboard/?range=2m&refresh=off&theme=purple&color=rainbow&config=nope&t.${HEATMAP}=abc`);
    const value = (name: string) => page.$eval(`select[name="${name}"]`, (el) => (el as HTMLSelectElement).value);
    // 2 minutes is not in the menu: it is added to it and selected.
    expect([await value('range'), await value('refresh'), await value('theme'), await value('color'), await value('config')]).toEqual(['120', '0', 'light', 'count', '']);
    expect(await page.$eval('select[name="range"]', (el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('last 2 min');
    expect(await page.textContent('#status')).toContain('no config named “nope” is loaded: showing all');
    expect(await page.$$eval('[data-panel-id]', (els) => els.length)).toBeGreaterThanOrEqual(2);
    // The first change writes the whole view into the fragment, which a shared link then restores.
    await page.selectOption('select[name="theme"]', 'dark');
    await page.waitForSelector('body[data-ready="true"]');
    const shared = new URL(page.url());
    expect(shared.search).toBe('');
    expect(shared.hash).toContain('range=120');
    expect(shared.hash).toContain('theme=dark');
    const { page: again, errors: againErrors } = await openPage(browser, shared.href);
    expect(await again.$eval('select[name="range"]', (el) => (el as HTMLSelectElement).value)).toBe('120');
    expect(await again.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect([...errors, ...againErrors]).toEqual([]);
    await again.close();
    await page.close();
  });

  it('serves a Grafana dashboard generated from the loaded configs', async () => {
    const response = await fetch(`${exporter.url}/dashboard/api/grafana/biolatency.json`);
    const dashboard = (await response.json()) as { panels: { type: string; targets: { expr: string }[] }[] };
    expect(dashboard.panels[0]?.type).toBe('heatmap');
    expect(dashboard.panels[0]?.targets[0]?.expr).toContain('rate(ebpf_exporter_bio_latency_seconds_bucket{instance=~"$instance",device=~"$device",operation=~"$operation"}');
  });
});
