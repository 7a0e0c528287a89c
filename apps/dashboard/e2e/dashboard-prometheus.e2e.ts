// The dashboard in Prometheus mode, end to end: a real Prometheus scrapes the real exporter on loopback
// every second, and the app reads heatmaps and percentiles through PromQL — via the exporter's
// --dashboard.prometheus-url pass-through, via the URL field straight from the browser, and from a
// plain static copy of the app with no exporter at all. Then the data source alone against a Prometheus 3
// reading native histograms from a small protobuf target.
import { execa } from 'execa';
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { BucketRateMatrix, HeatmapPanel } from '@ebpf-exporter/dashboard-model';
import { protobufChunks, type MetricFamily } from '@ebpf-exporter/metrics';
import { freePort, startPrometheus, type PrometheusServer } from '@ebpf-exporter/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverConfigs, PrometheusSource } from '../src/prometheus-source';
import { colouredPixels, launchBrowser, openPage, paintedPixels, screenshot } from './browser';
import { driveDiskIo, NOT_ROOT_REASON, REPO_ROOT, startExporter, type RunningExporter } from './exporter';
import { heatmapPixels } from './heatmap-pixels';

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
    // Any successful scrape in the last minute: on a loaded machine the newest one alone can have timed out.
    const up = await prometheus.instantValues('max_over_time(up{job="ebpf_exporter"}[1m])', Date.now() / 1000);
    expect(up).toEqual(['1']);
  });

  it('draws heatmap and Prometheus percentiles through the exporter pass-through', async () => {
    const { page, errors } = await openPage(browser, `${exporter.url}/dashboard/#range=300&refresh=5`);
    expect(await page.textContent('#status')).toContain('Prometheus');
    expect(await waitForHeatmap(page, HEATMAP)).toBeGreaterThan(0);
    expect(await paintedPixels(page, HEATMAP)).toBeGreaterThan(500);
    // Prometheus has scraped for seconds of the 5 min: the axis starts at its first sample, a few 15 s
    // steps, not the range's 20 (a column would be 5% of the plot), and the header says since when.
    const pixels = await heatmapPixels(page, HEATMAP);
    const firstColumn = pixels?.columns[0];
    expect(firstColumn, 'heatmap columns').toBeDefined();
    if (pixels && firstColumn) expect(firstColumn.width / (pixels.plot.right - pixels.plot.left)).toBeGreaterThan(0.1);
    expect(await page.textContent('#status')).toMatch(/Prometheus has samples since .*held so far of the last 5 min/);
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

const PROMETHEUS3 = join(process.env['VM_CACHE_DIR'] || join(REPO_ROOT, '.vm-cache'), 'prometheus3', 'prometheus');
// Per scrape, each bucket of 2^-5 … 2^5 s gains this many observations: empty buckets around and between.
const PER_SCRAPE = [0, 0, 3, 5, 0, 0, 0, 4, 2, 0, 0];
const BOUNDS = PER_SCRAPE.map((_, i) => 2 ** (i - 5));
// The compared histograms start at this many scrapes' worth: rate() extrapolates a float counter no further
// back than its zero point and a native histogram further (its `_bucket` and native rates would then differ
// at the first scrapes, by up to a few %), so no window starts near zero.
const BASE_SCRAPES = 100;
// The restarting ones start again from zero after this many scrapes, as a restarted exporter does.
const RESET_AFTER = 5;

/** `zero`: a leading bound of 0 holding 2 observations per scrape, native histograms' zero bucket. */
function latencyFamily(name: string, scrapes: number, zero: boolean): MetricFamily {
  let cumulative = zero ? 2 * scrapes : 0;
  const buckets = [...(zero ? [{ upperBound: 0, cumulativeCount: cumulative }] : []), ...BOUNDS.map((upperBound, i) => ({ upperBound, cumulativeCount: (cumulative += (PER_SCRAPE[i] ?? 0) * scrapes) }))];
  return { name, help: 'h', type: 'histogram', series: [{ labelNames: ['op'], labelValues: ['read'], buckets, sum: scrapes, count: cumulative }] };
}

function latencyPanel(metric: string): HeatmapPanel {
  return { kind: 'heatmap', id: metric, config: 'c', title: metric, description: '', metric, labels: ['op'], quantiles: [0.5, 0.9], yScale: 'log2', unit: 's', perCpu: false };
}

/** Rows of `native` against the classic rows of the same bound: rates equal step by step, none empty. */
function expectSameRows(native: BucketRateMatrix, classic: BucketRateMatrix, what: string): void {
  expect(native.times, what).toEqual(classic.times);
  for (const [row, bound] of native.upperBounds.entries()) {
    const nativeRates = native.cumulativeRates[row] ?? [];
    const classicRates = classic.cumulativeRates[classic.upperBounds.indexOf(bound)] ?? [];
    expect(nativeRates.some((rate) => rate !== null && rate > 0), `${what}: rates at le=${bound}`).toBe(true);
    // A step without a rate (before the second scrape) is empty in both.
    nativeRates.forEach((rate, step) => (rate === null ? expect(classicRates[step], what).toBeNull() : expect(rate, `${what} le=${bound}`).toBeCloseTo(classicRates[step] ?? NaN, 9)));
  }
}

describe('the Prometheus source on Prometheus 3 with native histograms', () => {
  let target: Server;
  let prometheus: PrometheusServer;
  let source: PrometheusSource;
  let beforeScrapes: number;
  let firstScrape: number | undefined;
  let range: { start: number; end: number; step: number; window: number };
  const job = (name: string) => ({ op: 'read', job: name });

  beforeAll(async () => {
    if (!existsSync(PROMETHEUS3)) await execa('node', ['--import', join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs'), join(REPO_ROOT, 'apps/exporter/e2e/prometheus3.ts')]);
    // Each family once natively (schema 0; Prometheus 3 then keeps no classic buckets) and once classic only.
    const scrapesByJob = new Map<string, number>();
    target = createServer((request, response) => {
      firstScrape ??= Date.now() / 1000;
      const jobName = new URL(request.url ?? '/', 'http://x').searchParams.get('job') ?? '';
      const scrapes = (scrapesByJob.get(jobName) ?? 0) + 1;
      scrapesByJob.set(jobName, scrapes);
      const [counts, restarted] = [BASE_SCRAPES + scrapes, scrapes > RESET_AFTER ? scrapes - RESET_AFTER : scrapes];
      const body = [
        ...protobufChunks([
          latencyFamily('ebpf_exporter_e2e_gap_seconds', counts, false),
          latencyFamily('ebpf_exporter_e2e_zero_seconds', counts, true),
          latencyFamily('ebpf_exporter_e2e_restart_seconds', restarted, false),
        ]),
        ...protobufChunks(
          [
            latencyFamily('ebpf_exporter_e2e_gap_classic_seconds', counts, false),
            latencyFamily('ebpf_exporter_e2e_zero_classic_seconds', counts, true),
            latencyFamily('ebpf_exporter_e2e_restart_classic_seconds', restarted, false),
            { name: 'ebpf_exporter_build_info', help: 'h', type: 'gauge', series: [{ labelNames: ['version'], labelValues: ['e2e'], value: 1 }] },
          ],
          { native: false },
        ),
      ];
      response.setHeader('content-type', 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited');
      response.end(Buffer.concat(body));
    });
    const port = await freePort();
    await new Promise<void>((resolve) => target.listen(port, '127.0.0.1', resolve));
    beforeScrapes = Math.floor(Date.now() / 1000);
    const scrape = (name: string) => ({ job_name: name, params: { job: [name] }, static_configs: [{ targets: [`127.0.0.1:${port}`] }] });
    prometheus = await startPrometheus({
      binary: PROMETHEUS3,
      flags: ['--enable-feature=native-histograms'],
      scrapeIntervalSeconds: 1,
      // `nhcb` turns the classic-only histograms into custom-bucket native ones (bounds from -Inf to +Inf).
      scrapeConfigs: [scrape('target'), { ...scrape('nhcb'), convert_classic_histograms_to_nhcb: true }],
    });
    source = new PrometheusSource(prometheus.url);
    // Past the target's restart in both jobs, and a few scrapes more.
    const deadline = Date.now() + 60_000;
    while ((await prometheus.instantValues(`min(resets(ebpf_exporter_e2e_restart_seconds[1m])) > 0 and min(count_over_time(ebpf_exporter_build_info[1m])) > ${RESET_AFTER + 4}`, Date.now() / 1000)).length === 0) {
      if (Date.now() > deadline) throw new Error('Prometheus did not scrape the target past its restart within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const end = Math.floor(Date.now() / 1000);
    range = { start: beforeScrapes - 5, end, step: 1, window: 5 };
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    target?.close();
  });

  it('draws a native heatmap as the classic buckets draw it: empty buckets between filled, the zero bucket its own row', async () => {
    const gap = await source.heatmap(latencyPanel('ebpf_exporter_e2e_gap_seconds'), job('target'), range);
    const gapClassic = await source.heatmap(latencyPanel('ebpf_exporter_e2e_gap_classic_seconds'), job('target'), range);
    // Native samples know only the populated range, 2^-3 … 2^3; the empty 2^0 … 2^1 in between are filled.
    expect(gap.matrix.upperBounds).toEqual([...BOUNDS.slice(2, 9), Infinity]);
    expectSameRows(gap.matrix, gapClassic.matrix, 'gap');
    // The classic rows outside that range hold nothing new: zero below, the total above.
    const total = gapClassic.matrix.cumulativeRates.at(-1) ?? [];
    gapClassic.matrix.upperBounds.forEach((bound, row) => {
      const rates = gapClassic.matrix.cumulativeRates[row] ?? [];
      if (bound < 2 ** -3) expect(rates.every((rate) => rate === null || rate === 0)).toBe(true);
      if (bound > 2 ** 3) expect(rates).toEqual(total);
    });
    const zero = await source.heatmap(latencyPanel('ebpf_exporter_e2e_zero_seconds'), job('target'), range);
    const zeroClassic = await source.heatmap(latencyPanel('ebpf_exporter_e2e_zero_classic_seconds'), job('target'), range);
    expect(zero.matrix.upperBounds).toEqual([0, ...BOUNDS.slice(2, 9), Infinity]);
    expectSameRows(zero.matrix, zeroClassic.matrix, 'zero');
    // Quantile lines agree within their bucket (native interpolates exponentially, classic linearly).
    expect(gap.quantiles?.flat().some((value) => value !== null)).toBe(true);
    for (const [i, quantiles] of (gap.quantiles ?? []).entries()) {
      quantiles.forEach((value, step) => {
        const classicValue = gapClassic.quantiles?.[i]?.[step] ?? null;
        if (value === null || classicValue === null) expect(value, `q${i} step ${step}`).toBe(classicValue);
        else expect(Math.abs(value - classicValue), `q${i} step ${step}`).toBeLessThanOrEqual(2 ** Math.ceil(Math.log2(classicValue)) / 2);
      });
    }
  });

  it('reads custom-bucket native histograms (-Inf and +Inf bounds) as their classic buckets', async () => {
    const nhcb = await source.heatmap(latencyPanel('ebpf_exporter_e2e_zero_classic_seconds'), job('nhcb'), range);
    const classic = await source.heatmap(latencyPanel('ebpf_exporter_e2e_zero_classic_seconds'), job('target'), range);
    expect(nhcb.matrix.upperBounds).toEqual([0, ...BOUNDS.slice(2, 9), Infinity]);
    // The two jobs scrape at their own moments: the same shape, not the same rates at each step.
    for (const [row, bound] of nhcb.matrix.upperBounds.entries()) {
      const rates = nhcb.matrix.cumulativeRates[row] ?? [];
      const classicRates = classic.matrix.cumulativeRates[classic.matrix.upperBounds.indexOf(bound)] ?? [];
      const ratio = (rates.at(-1) ?? NaN) / (classicRates.at(-1) ?? NaN);
      expect(ratio, `le=${bound}: ${rates.at(-1)} vs ${classicRates.at(-1)}`).toBeGreaterThan(0.5);
      expect(ratio, `le=${bound}`).toBeLessThan(2);
    }
  });

  it('draws the target restart as no negative rate and no spike, native and classic', async () => {
    expect(await prometheus.instantValues(`resets(ebpf_exporter_e2e_restart_classic_seconds_count{job="target"}[${range.end - range.start}s])`, range.end)).toEqual(['1']);
    for (const metric of ['ebpf_exporter_e2e_restart_seconds', 'ebpf_exporter_e2e_restart_classic_seconds']) {
      const { matrix } = await source.heatmap(latencyPanel(metric), job('target'), range);
      const rates = matrix.cumulativeRates.flat().filter((rate): rate is number => rate !== null);
      expect(rates.length, metric).toBeGreaterThan(0);
      expect(Math.min(...rates), metric).toBeGreaterThanOrEqual(0);
      // The target adds 14 observations per scrape before and after the restart: steady totals.
      const totals = (matrix.cumulativeRates.at(-1) ?? []).filter((rate): rate is number => rate !== null).sort((a, b) => a - b);
      const median = totals[Math.floor(totals.length / 2)] ?? NaN;
      expect(totals.at(-1), `${metric}: totals ${totals.map((t) => t.toFixed(1))}`).toBeLessThanOrEqual(3 * median);
    }
  });

  it('says where its data starts: the first scrape, not the range start', async () => {
    const first = await source.firstSample(range);
    expect(first, 'first sample').toBeDefined();
    // Prometheus stamps a scrape when it starts it: after our clock reading before Prometheus started, and
    // (a sample of the first step that has any) less than a step after the target answered the first one.
    expect(first).toBeGreaterThanOrEqual(beforeScrapes);
    expect(first).toBeLessThan((firstScrape ?? NaN) + range.step);
    expect(await source.firstSample({ ...range, start: range.start - 60, end: range.start })).toBeUndefined();
  });

  it('lists the labels of native-only histograms and finds them as panels', async () => {
    expect((await source.labelValues(latencyPanel('ebpf_exporter_e2e_gap_seconds')))['op']).toEqual(['read']);
    const [config] = await discoverConfigs(prometheus.url);
    const histograms = Object.fromEntries((config?.histograms ?? []).map((h) => [h.name, h.labels]));
    expect(histograms).toEqual({
      e2e_gap_seconds: ['op'],
      e2e_gap_classic_seconds: ['op'],
      e2e_restart_seconds: ['op'],
      e2e_restart_classic_seconds: ['op'],
      e2e_zero_seconds: ['op'],
      e2e_zero_classic_seconds: ['op'],
    });
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
