// The dashboard follows a live reload (#14) without being reloaded itself: a config added to the @names
// file gets its panels at the next refresh, a removed one loses them, and the panels that stay keep what
// the user set on them. The real exporter on the real kernel, reloaded through POST /-/reload, and the app
// in Debian's Chromium.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot } from './browser';
import { NOT_ROOT_REASON, REPO_ROOT, startExporter, type RunningExporter } from './exporter';

const RATES = 'timers.timer_starts_total';
const HEATMAP = 'biolatency.bio_latency_seconds';

describe.skipIf(NOT_ROOT_REASON)(`dashboard across live reloads${NOT_ROOT_REASON ? ` (${NOT_ROOT_REASON})` : ''}`, () => {
  let dir: string;
  let exporter: RunningExporter;
  let browser: Browser;
  const setNames = (...names: string[]) => writeFileSync(join(dir, 'names'), `${names.join('\n')}\n`);
  const reload = async (): Promise<string> => {
    const response = await fetch(`${exporter.url}/-/reload`, { method: 'POST' });
    const body = await response.text();
    expect(response.status, body).toBe(200);
    return body;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dashboard-reload-e2e-'));
    for (const name of ['timers', 'biolatency']) {
      for (const ext of ['yaml', 'bpf.o']) copyFileSync(join(REPO_ROOT, 'examples', `${name}.${ext}`), join(dir, `${name}.${ext}`));
    }
    setNames('timers');
    exporter = await startExporter([`--config.dir=${dir}`, `--config.names=@${join(dir, 'names')}`, '--web.enable-lifecycle', '--dashboard.history-resolution=1']);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await exporter?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds the panels of a config a reload added and drops those of one it removed, keeping the others and their state', async () => {
    // Refreshing every second (a value the menu does not offer, taken from the link).
    const { page, errors } = await openPage(browser, `${exporter.url}/dashboard/#range=300&refresh=1`);
    expect(await page.$$eval('[data-panel-id]', (els) => els.map((el) => (el as HTMLElement).dataset.panelId))).toEqual([RATES]);
    expect(await page.$$eval('select[name="config"] option', (els) => els.map((el) => (el as HTMLOptionElement).value))).toEqual(['', 'timers']);

    // What the user set on the panel that stays: a search (in the URL) and a mark on its element, which
    // only survives if the panel is kept rather than rebuilt.
    await page.fill(`[data-panel-id="${RATES}"] input[name="search"]`, 'timer');
    await page.waitForFunction(() => location.hash.includes('s.timers.timer_starts_total=timer'));
    await page.$eval(`[data-panel-id="${RATES}"]`, (el) => ((el as HTMLElement).dataset.mark = 'kept'));

    setNames('timers', 'biolatency');
    expect(await reload()).toBe('kept timers; added biolatency\n');
    await page.waitForSelector(`[data-panel-id="${HEATMAP}"][data-state="ready"]`, { timeout: 30_000 });
    expect(await page.$$eval('[data-panel-id]', (els) => els.map((el) => (el as HTMLElement).dataset.panelId))).toEqual([RATES, HEATMAP]);
    expect(await page.$$eval('h2', (els) => els.map((el) => el.textContent))).toEqual(['timers', 'biolatency']);
    expect(await page.$$eval('select[name="config"] option', (els) => els.map((el) => (el as HTMLOptionElement).value))).toEqual(['', 'timers', 'biolatency']);
    expect(await page.$eval(`[data-panel-id="${RATES}"]`, (el) => (el as HTMLElement).dataset.mark)).toBe('kept');
    expect(await page.$eval(`[data-panel-id="${RATES}"] input[name="search"]`, (el) => (el as HTMLInputElement).value)).toBe('timer');
    // The new panel draws from the history: a heatmap with its axis, or the message saying why it is empty.
    expect(await page.$eval(`[data-panel-id="${HEATMAP}"] canvas`, (el) => (el as HTMLCanvasElement).width)).toBeGreaterThan(0);
    await screenshot(page, 'reload-added');

    setNames('timers');
    expect(await reload()).toBe('kept timers; removed biolatency\n');
    await page.waitForSelector(`[data-panel-id="${HEATMAP}"]`, { state: 'detached', timeout: 30_000 });
    expect(await page.$$eval('h2', (els) => els.map((el) => el.textContent))).toEqual(['timers']);
    expect(await page.$$eval('select[name="config"] option', (els) => els.map((el) => (el as HTMLOptionElement).value))).toEqual(['', 'timers']);
    expect(await page.$eval(`[data-panel-id="${RATES}"]`, (el) => (el as HTMLElement).dataset.mark)).toBe('kept');
    // The page went on refreshing throughout: no error, no full rebuild.
    expect(await page.$eval(`[data-panel-id="${RATES}"]`, (el) => (el as HTMLElement).dataset.state)).toBe('ready');
    await screenshot(page, 'reload-removed');
    expect(errors).toEqual([]);
    await page.close();
  });
});
