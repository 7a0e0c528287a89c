// Gauges and per-CPU histograms on the real exporter's history: the tcp-states example's gauge of TCP
// sockets per state, held up by connections this test keeps open, and runqlat-percpu's run queue latency
// with a histogram per CPU, summed by default or drawn one heatmap per CPU.
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colouredPixels, launchBrowser, openPage, screenshot } from './browser';
import { NOT_ROOT_REASON, startExporter, waitForGaugeSamples, waitForHistoryRates, type RunningExporter } from './exporter';

const GAUGE = 'tcp-states.tcp_sockets';
const PER_CPU = 'runqlat-percpu.run_queue_latency_seconds';
/** Each loopback connection is two established sockets: the client's and the server's. */
const HELD_CONNECTIONS = 5;

const dataset = (page: Page, selector: string, key: string) =>
  page.$eval(selector, (el, k) => (el as HTMLElement).dataset[k as string], key);

/** The largest `established` value the gauge's legend shows while the cursor moves over the newest steps. */
async function establishedInLegend(page: Page): Promise<number> {
  const over = `[data-panel-id="${GAUGE}"] .u-over`;
  const width = await page.$eval(over, (el) => (el as HTMLElement).clientWidth);
  let largest = Number.NaN;
  // First with the pointer off the chart, where the legend shows each series' newest value; then hovering
  // near the newest edge, where a step without a sample yet reads "no data".
  await page.mouse.move(0, 0);
  for (let x = width + 1; x > width - 40; x -= 2) {
    if (x <= width - 1) await page.hover(over, { position: { x, y: 20 } });
    const values = await page.$$eval(`[data-panel-id="${GAUGE}"] .u-legend .u-series`, (rows) =>
      rows.filter((row) => row.textContent?.includes('state="established"')).map((row) => Number(row.querySelector('.u-value')?.textContent)),
    );
    for (const value of values) if (Number.isFinite(value)) largest = Number.isNaN(largest) ? value : Math.max(largest, value);
  }
  return largest;
}

describe.skipIf(NOT_ROOT_REASON)(`dashboard of gauges and per-CPU histograms${NOT_ROOT_REASON ? ` (${NOT_ROOT_REASON})` : ''}`, () => {
  let exporter: RunningExporter;
  let browser: Browser;
  let server: Server;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    exporter = await startExporter(['--config.dir=examples', '--config.names=runqlat-percpu,tcp-states', '--dashboard.history-resolution=1']);
    // tcp-states counts state changes since it was loaded: connections opened now raise `established`.
    server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    for (let i = 0; i < HELD_CONNECTIONS; i++) {
      await new Promise<void>((resolve) => sockets.push(connect(port, '127.0.0.1', resolve)));
    }
    // The scheduler runs tasks on every CPU all the time: the run queue histogram fills by itself.
    await waitForHistoryRates(exporter, 'ebpf_exporter_run_queue_latency_seconds');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    for (const socket of sockets) socket.destroy();
    server?.close();
    await exporter?.stop();
  });

  it('draws a gauge as its values, not as a rate', async () => {
    // A line needs a few samples to be more than a dot: on a loaded machine the history can hold only one or two.
    await waitForGaugeSamples(exporter, 'ebpf_exporter_tcp_sockets', 5);
    const end = Math.floor(Date.now() / 1000);
    const params = new URLSearchParams({ metric: 'ebpf_exporter_tcp_sockets', start: String(end - 3), end: String(end), step: '1', window: '3' });
    params.append('filter', 'state=established');
    const history = (await (await fetch(`${exporter.url}/dashboard/api/history/counters?${params}`)).json()) as { series: { values: (number | null)[] }[] };
    // A rate of connections held open would be 0; the gauge is the number of sockets.
    expect(Math.max(...history.series.flatMap((s) => s.values.map((v) => v ?? 0)))).toBeGreaterThanOrEqual(2 * HELD_CONNECTIONS);

    const { page, errors } = await openPage(browser, `${exporter.url}/dashboard/#range=300&refresh=0&config=tcp-states`);
    expect(Number(await dataset(page, `[data-panel-id="${GAUGE}"] .chart`, 'seriesDrawn'))).toBeGreaterThan(0);
    expect(await page.textContent(`[data-panel-id="${GAUGE}"] h3`)).toBe('tcp_sockets');
    // The lines span only the seconds since the exporter started, a sliver of the 5 minutes shown.
    expect(await colouredPixels(page, `[data-panel-id="${GAUGE}"]`)).toBeGreaterThan(30);
    // The search box keeps only `established` among the lines drawn: ranked by mean, other states can
    // outnumber it on a machine busy opening and closing connections.
    await page.fill(`[data-panel-id="${GAUGE}"] input[name="search"]`, 'established');
    await page.waitForFunction((id) => {
      const rows = Array.from(document.querySelectorAll(`[data-panel-id="${id}"] .u-legend .u-series`)).slice(1);
      return rows.length > 0 && rows.every((row) => row.textContent?.includes('state="established"'));
    }, GAUGE);
    expect(new URL(page.url()).hash).toContain('established');
    const legendRows = () => page.$$eval(`[data-panel-id="${GAUGE}"] .u-legend .u-series`, (rows) => rows.map((row) => row.textContent));
    expect(await establishedInLegend(page), `legend: ${JSON.stringify(await legendRows())}`).toBeGreaterThanOrEqual(2 * HELD_CONNECTIONS);
    await screenshot(page, 'history-gauge');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sums a per-CPU histogram by default and draws one heatmap per CPU when asked, on every CPU', async () => {
    const { page, errors } = await openPage(browser, `${exporter.url}/dashboard/#range=300&refresh=0&config=runqlat-percpu`);
    const cpuSelect = `[data-panel-id="${PER_CPU}"] select[name="cpu"]`;
    expect(await page.$eval(cpuSelect, (el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('cpu: all (summed)');
    expect(Number(await dataset(page, `[data-panel-id="${PER_CPU}"] .chart`, 'cellsDrawn'))).toBeGreaterThan(0);
    expect(await colouredPixels(page, `[data-panel-id="${PER_CPU}"] .chart`)).toBeGreaterThan(500);

    const labels = (await (await fetch(`${exporter.url}/dashboard/api/history/labels?metric=ebpf_exporter_run_queue_latency_seconds`)).json()) as { cpu: string[] };
    expect(labels.cpu.length).toBeGreaterThan(0);
    const perCpuRequest = page.waitForResponse((r) => r.url().includes('/api/history/buckets') && r.url().includes('filter=cpu%3D0'));
    await page.selectOption(cpuSelect, 'each');
    await perCpuRequest;
    await page.waitForFunction(
      ([id, count]) => document.querySelector<HTMLElement>(`[data-panel-id="${id}"] .chart`)?.dataset.cpuHeatmaps === String(count),
      [PER_CPU, labels.cpu.length] as const,
    );
    expect(new URL(page.url()).hash).toContain(`c.${PER_CPU}=per-cpu`);
    const figures = await page.$$eval(`[data-panel-id="${PER_CPU}"] .cpu-chart`, (els) => els.map((el) => (el as HTMLElement).dataset.cpu));
    expect(figures).toEqual([...labels.cpu].sort((a, b) => Number(a) - Number(b)));
    for (const cpu of figures) {
      const chart = `[data-panel-id="${PER_CPU}"] .cpu-chart[data-cpu="${cpu}"]`;
      expect(Number(await dataset(page, `${chart} .cpu-heatmap`, 'cellsDrawn')), `CPU ${cpu}`).toBeGreaterThan(0);
      expect(await colouredPixels(page, chart), `CPU ${cpu}`).toBeGreaterThan(200);
    }
    await screenshot(page, 'history-per-cpu');

    // Back to the sum: one heatmap again, and the URL forgets the per-CPU choice.
    await page.selectOption(cpuSelect, '');
    await page.waitForFunction((id) => document.querySelectorAll(`[data-panel-id="${id}"] .cpu-chart`).length === 0, PER_CPU);
    expect(new URL(page.url()).hash).not.toContain(`c.${PER_CPU}`);
    expect(await colouredPixels(page, `[data-panel-id="${PER_CPU}"] .chart`)).toBeGreaterThan(500);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('serves Grafana dashboards with the gauge as a time series and a per-CPU row', async () => {
    type Panels = { panels: { type: string; repeat?: string; targets?: { expr: string }[]; panels?: { repeat?: string }[] }[] };
    const gauge = (await (await fetch(`${exporter.url}/dashboard/api/grafana/tcp-states.json`)).json()) as Panels;
    expect(gauge.panels[0]?.type).toBe('timeseries');
    expect(gauge.panels[0]?.targets?.[0]?.expr).toBe('topk(10, ebpf_exporter_tcp_sockets{instance=~"$instance",family=~"$family",state=~"$state"})');
    const perCpu = (await (await fetch(`${exporter.url}/dashboard/api/grafana/runqlat-percpu.json`)).json()) as Panels;
    expect(perCpu.panels.map((p) => p.type)).toEqual(['heatmap', 'timeseries', 'row']);
    expect(perCpu.panels[2]?.panels?.[0]?.repeat).toBe('cpu');
  });
});
