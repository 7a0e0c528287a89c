// The dashboard in Prometheus mode, end to end: a real Prometheus scrapes the real exporter on loopback
// every second, and the app reads heatmaps and percentiles through PromQL — via the exporter's
// --dashboard.prometheus-url pass-through, via the URL field straight from the browser, and from a
// plain static copy of the app with no exporter at all.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { freePort, startPrometheus, type PrometheusServer } from '@ebpf-exporter/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colouredPixels, launchBrowser, openPage, paintedPixels, screenshot } from './browser';
import { driveDiskIo, NOT_ROOT_REASON, REPO_ROOT, startExporter, type RunningExporter } from './exporter';

const HEATMAP = 'biolatency.bio_latency_seconds';
const PER_CPU = 'runqlat-percpu.run_queue_latency_seconds';
const GAUGE = 'tcp-states.tcp_sockets';

/** Prometheus has only seconds of data when the page opens: the page refreshes every 5 s until it shows. */
async function waitForHeatmap(page: Page, id: string): Promise<number> {
  await page.waitForFunction((panel) => Number(document.querySelector<HTMLElement>(`[data-panel-id="${panel}"] .chart`)?.dataset.cellsDrawn) > 0, id, {
    timeout: 60_000,
  });
  return page.$eval(`[data-panel-id="${id}"] .chart`, (el) => Number((el as HTMLElement).dataset.cellsDrawn));
}

describe.skipIf(NOT_ROOT_REASON)(`dashboard on a real Prometheus${NOT_ROOT_REASON ? ` (${NOT_ROOT_REASON})` : ''}`, () => {
  let prometheus: PrometheusServer;
  let exporter: RunningExporter;
  let browser: Browser;
  let exporterPort: number;

  beforeAll(async () => {
    // Prometheus must know the exporter's port before the exporter knows Prometheus's URL: reserve it.
    exporterPort = await freePort();
    prometheus = await startPrometheus({
      scrapeIntervalSeconds: 1,
      scrapeConfigs: [{ job_name: 'ebpf_exporter', static_configs: [{ targets: [`127.0.0.1:${exporterPort}`] }] }],
    });
    exporter = await startExporter(
      ['--config.dir=examples', '--config.names=timers,biolatency,runqlat-percpu,tcp-states', `--dashboard.prometheus-url=${prometheus.url}`],
      exporterPort,
    );
    await driveDiskIo(10);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await exporter?.stop();
    await prometheus?.stop();
  });

  it('scrapes the exporter', async () => {
    const up = await prometheus.instantValues('up{job="ebpf_exporter"}', Date.now() / 1000);
    expect(up).toEqual(['1']);
  });

  it('draws heatmap and Prometheus percentiles through the exporter pass-through', async () => {
    const { page, errors } = await openPage(browser, `${exporter.url}/dashboard/#range=300&refresh=5`);
    expect(await page.textContent('#status')).toContain('Prometheus');
    expect(await waitForHeatmap(page, HEATMAP)).toBeGreaterThan(0);
    expect(await paintedPixels(page, HEATMAP)).toBeGreaterThan(500);
    const legend = await page.$eval(`[data-panel-id="${HEATMAP}"] .u-legend`, (el) => (el as HTMLElement).innerText);
    expect(legend).toMatch(/p99/);
    const filteredQuantile = page.waitForRequest((request) =>
      (new URL(request.url()).searchParams.get('query') ?? '').startsWith(
        'histogram_quantile(0.99, sum by (le) (rate(ebpf_exporter_bio_latency_seconds_bucket{operation="write"}',
      ),
    );
    await page.selectOption(`[data-panel-id="${HEATMAP}"] select[name="operation"]`, 'write');
    // Prometheus knows which exporter each series came from: every panel can pick the host.
    const instances = await page.$$eval(`[data-panel-id="${HEATMAP}"] select[name="instance"] option`, (options) =>
      options.map((o) => (o as HTMLOptionElement).value),
    );
    expect(instances).toContain(`127.0.0.1:${exporterPort}`);
    expect(new URL((await filteredQuantile).url()).pathname).toBe('/dashboard/api/prometheus/api/v1/query_range');
    expect(await waitForHeatmap(page, HEATMAP)).toBeGreaterThan(0);
    await screenshot(page, 'prometheus-passthrough');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reads a gauge with a plain selector and a per-CPU histogram by (le, cpu), one heatmap per CPU', async () => {
    const queries: string[] = [];
    const { page, errors } = await openPage(browser, `${exporter.url}/dashboard/#range=300&refresh=5&c.${PER_CPU}=per-cpu`);
    page.on('request', (request) => queries.push(new URL(request.url()).searchParams.get('query') ?? ''));
    // Prometheus's own connection to the exporter is an established socket since tcp-states was loaded.
    await page.waitForFunction((id) => Number(document.querySelector<HTMLElement>(`[data-panel-id="${id}"] .chart`)?.dataset.seriesDrawn) > 0, GAUGE, {
      timeout: 60_000,
    });
    expect(await colouredPixels(page, `[data-panel-id="${GAUGE}"]`)).toBeGreaterThan(0);
    await page.waitForFunction((id) => Number(document.querySelector<HTMLElement>(`[data-panel-id="${id}"] .chart`)?.dataset.cpuHeatmaps) > 0, PER_CPU, {
      timeout: 60_000,
    });
    const cpus = await prometheus.instantValues('count(count by (cpu) (ebpf_exporter_run_queue_latency_seconds_bucket))', Date.now() / 1000);
    expect(await page.$$eval(`[data-panel-id="${PER_CPU}"] .cpu-chart`, (els) => els.length)).toBe(Number(cpus[0]));
    for (const cpu of await page.$$eval(`[data-panel-id="${PER_CPU}"] .cpu-chart`, (els) => els.map((el) => (el as HTMLElement).dataset.cpu))) {
      expect(await colouredPixels(page, `[data-panel-id="${PER_CPU}"] .cpu-chart[data-cpu="${cpu}"]`), `CPU ${cpu}`).toBeGreaterThan(200);
    }
    // The next refresh (every 5 s) asks again: the queries are the model's, unchanged.
    const queried = (query: string) => page.waitForRequest((r) => new URL(r.url()).searchParams.get('query') === query, { timeout: 30_000 });
    await Promise.all([queried('ebpf_exporter_tcp_sockets'), queried('sum by (le, cpu) (rate(ebpf_exporter_run_queue_latency_seconds_bucket[45s]))')]);
    expect(queries.filter((q) => q.includes('tcp_sockets') && q.includes('rate('))).toEqual([]);
    await screenshot(page, 'prometheus-gauge-per-cpu');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('queries a Prometheus typed into the URL field directly from the browser', async () => {
    const { page, errors } = await openPage(browser, `${exporter.url}/dashboard/#range=300&refresh=5&prometheus=${encodeURIComponent(prometheus.url)}`);
    expect(await page.textContent('#status')).toContain(`Prometheus at ${prometheus.url}`);
    expect(await waitForHeatmap(page, HEATMAP)).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('works as a static site against Prometheus alone, discovering panels from its metadata', async () => {
    const site = await serveStatic(join(REPO_ROOT, 'dist/apps/dashboard'));
    try {
      const { page, errors } = await openPage(browser, `${site.url}/#range=300&refresh=5&prometheus=${encodeURIComponent(prometheus.url)}`);
      expect(await waitForHeatmap(page, 'prometheus.bio_latency_seconds')).toBeGreaterThan(0);
      const ids = await page.$$eval('[data-panel-id]', (els) => els.map((el) => (el as HTMLElement).dataset.panelId));
      expect(ids).toContain('prometheus.timer_starts_total');
      // The config's gauge is found; the exporter's own gauges (build info, enabled configs) are not panels.
      expect(ids).toContain('prometheus.tcp_sockets');
      expect(ids.filter((id) => /build_info|enabled_configs|ebpf_program/.test(id ?? ''))).toEqual([]);
      await screenshot(page, 'prometheus-standalone');
      // The only failed request allowed is the exporter API the static site does not have.
      expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
      await page.close();
    } finally {
      site.server.close();
    }
  });
});

/** A bare static file server: stands for "any web server" hosting the built app. */
async function serveStatic(root: string): Promise<{ url: string; server: Server }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  const server = createServer(async (request, response) => {
    const path = join(root, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname).replace(/\/$/, '/index.html'));
    const found = path.startsWith(root) && (await stat(path).catch(() => undefined))?.isFile();
    if (!found) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
    createReadStream(path).pipe(response);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}`, server };
}
