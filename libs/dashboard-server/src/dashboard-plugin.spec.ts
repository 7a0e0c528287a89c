import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { MetricFamily } from '@ebpf-exporter/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dashboardPlugin, type DashboardOptions, type ScrapeFeed, type ScrapeListener } from './dashboard-plugin';

const configs: ReturnType<DashboardOptions['configs']> = [
  { name: 'timers', counters: [{ name: 'timer_starts_total', help: 'Timers fired', labels: ['function'] }], histograms: [] },
];
let value = 0;
const families = async (): Promise<MetricFamily[]> => [
  {
    name: 'ebpf_exporter_timer_starts_total',
    help: 'Timers fired',
    type: 'counter',
    series: [{ labelNames: ['function'], labelValues: ['tick_sched_timer'], value: (value += 50) }],
  },
];

let app: FastifyInstance | undefined;
let assets: string | undefined;
afterEach(async () => {
  await app?.close();
  if (assets) await rm(assets, { recursive: true, force: true });
});

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function start(options: Partial<DashboardOptions> = {}): Promise<FastifyInstance> {
  assets = await mkdtemp(join(tmpdir(), 'dashboard-assets-'));
  await writeFile(join(assets, 'index.html'), '<!doctype html><title>dashboard</title>');
  app = Fastify();
  await app.register(dashboardPlugin, {
    prefix: '/dashboard',
    families,
    configs: () => configs,
    historyWindowSeconds: 60,
    historyResolutionSeconds: 0.05,
    assetsDir: assets,
    ...options,
  });
  await app.ready();
  return app;
}

describe('dashboardPlugin', () => {
  it('serves the app and tells it to use the history', async () => {
    const server = await start();
    expect((await server.inject('/dashboard/')).body).toContain('<title>dashboard</title>');
    const bare = await server.inject('/dashboard');
    expect([bare.statusCode, bare.headers.location]).toEqual([302, '/dashboard/']);
    const info = (await server.inject('/dashboard/api/info')).json();
    // The first sample is taken before the server is ready, so the app can start its time axis there.
    const { samples, ...source } = info.source;
    expect(source).toEqual({ kind: 'history', windowSeconds: 60, resolutionSeconds: 0.05 });
    expect(samples.first).toBeLessThanOrEqual(Date.now() / 1000);
    expect(samples.oldest).toBe(samples.first);
    expect(samples.newest).toBeGreaterThanOrEqual(samples.oldest);
    expect(info.configs).toEqual(configs);
  });

  it('samples the families into the history and answers rates from it', async () => {
    let calls = 0;
    const server = await start({ families: async () => (calls++, families()) });
    await waitFor(() => calls >= 4, 'four samples');
    const now = Date.now() / 1000;
    const response = await server.inject({
      url: '/dashboard/api/history/counters',
      query: { metric: 'ebpf_exporter_timer_starts_total', start: String(now - 0.1), end: String(now), step: '0.1', window: '0.3', filter: 'function=tick_sched_timer' },
    });
    const body = response.json();
    expect(body.series[0].labels).toEqual({ function: 'tick_sched_timer' });
    // 50 per sample, samples at least 50 ms apart: at most 1000/s, less when a busy machine delays timers.
    const rate = body.series[0].values.at(-1);
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBeLessThanOrEqual(1000 * 1.05);
    expect((await server.inject('/dashboard/api/history/labels?metric=ebpf_exporter_timer_starts_total')).json()).toEqual({ function: ['tick_sched_timer'] });
  });

  it('stops sampling when Fastify closes', async () => {
    let calls = 0;
    const server = await start({ families: async () => (calls++, families()) });
    await waitFor(() => calls >= 2, 'two samples');
    await server.close();
    const afterClose = calls;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(calls).toBe(afterClose);
  });

  it('answers a bad range with 400 naming the field', async () => {
    const server = await start();
    const response = await server.inject('/dashboard/api/history/buckets?metric=x&start=10&end=20&step=0&window=5');
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/step/);
  });

  it('serves a Grafana dashboard per config and 404 for an unknown one', async () => {
    const server = await start();
    const dashboard = (await server.inject('/dashboard/api/grafana/timers.json')).json();
    expect(dashboard.title).toBe('eBPF exporter: timers');
    expect(dashboard.panels[0].targets[0].expr).toContain('rate(ebpf_exporter_timer_starts_total{instance=~"$instance",function=~"$function"}');
    expect((await server.inject('/dashboard/api/grafana/nope.json')).statusCode).toBe(404);
  });

  it('passes query API calls through to the configured Prometheus, and nothing else', async () => {
    const upstream = Fastify();
    upstream.get('/api/v1/query', async (request) => ({ status: 'success', data: { echo: request.query } }));
    const url = await upstream.listen({ host: '127.0.0.1', port: 0 });
    try {
      const server = await start({ prometheusUrl: url });
      expect((await server.inject('/dashboard/api/info')).json().source).toEqual({ kind: 'prometheus', url: 'api/prometheus' });
      const proxied = await server.inject('/dashboard/api/prometheus/api/v1/query?query=up');
      expect(proxied.json()).toEqual({ status: 'success', data: { echo: { query: 'up' } } });
      expect((await server.inject('/dashboard/api/prometheus/api/v1/admin/tsdb/snapshot')).statusCode).toBe(404);
    } finally {
      await upstream.close();
    }
  });

  it('explains how to build the app when its assets are missing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'dashboard-empty-'));
    try {
      app = Fastify();
      await app.register(dashboardPlugin, { prefix: '/dashboard', families, configs: () => configs, historyWindowSeconds: 60, historyResolutionSeconds: 5, assetsDir: empty });
      const response = await app.inject('/dashboard/');
      expect(response.statusCode).toBe(503);
      expect(response.body).toContain('npx nx build dashboard');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

/** Scrapes as the exporter hands them on, pushed by the test. */
function scrapeFeed() {
  const listeners = new Set<ScrapeListener>();
  const state = { collecting: false };
  const feed: ScrapeFeed = {
    subscribe: (listener) => (listeners.add(listener), () => void listeners.delete(listener)),
    collecting: () => state.collecting,
  };
  const push = async (startSeconds = Date.now() / 1000): Promise<void> => {
    const scraped = await families();
    for (const listener of listeners) listener(startSeconds, scraped);
  };
  return { feed, state, push, listeners };
}

describe('dashboardPlugin fed with the scrapes', () => {
  // Ticks and the clock are driven by the test: which samples are taken depends on nothing else.
  const T0 = 1_800_000_000_000; // a multiple of the resolution: T0 starts a slot
  const RESOLUTION = 5;
  afterEach(() => void vi.useRealTimers());

  async function startFed(): Promise<{ server: FastifyInstance; scrapes: ReturnType<typeof scrapeFeed>; reads: () => number }> {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'], now: T0 });
    const scrapes = scrapeFeed();
    let reads = 0;
    const server = await start({ scrapes: scrapes.feed, historyResolutionSeconds: RESOLUTION, families: async () => (reads++, families()) });
    return { server, scrapes, reads: () => reads };
  }
  const stats = async (server: FastifyInstance) => (await server.inject('/dashboard/api/history/stats')).json();

  it('records the first scrape of each resolution, and reads the families itself only after a resolution without one', async () => {
    const { server, scrapes, reads } = await startFed();
    expect(reads()).toBe(1); // the first sample, as soon as the server is ready
    // A scrape a second for three resolutions: every tick has seen one since the last.
    for (let second = 1; second <= 3 * RESOLUTION; second++) {
      await vi.advanceTimersByTimeAsync(1000);
      await scrapes.push();
    }
    expect(reads()).toBe(1);
    // One sample per slot: the ones at T0 + 5, 10 and 15 s; T0's own slot holds the first read.
    expect(await stats(server)).toMatchObject({ recordedScrapes: 3, ownReads: 1, series: 1 });
    const end = T0 / 1000 + 3 * RESOLUTION;
    const counters = await server.inject({
      url: '/dashboard/api/history/counters',
      query: { metric: 'ebpf_exporter_timer_starts_total', start: String(end), end: String(end), step: '1', window: String(2 * RESOLUTION) },
    });
    // The counter grows by 50 a scrape, a scrape a second.
    expect(counters.json().series[0].values[0]).toBeCloseTo(50);

    // The scrapes stop: the tick right after the last one still saw it, the next one reads.
    await vi.advanceTimersByTimeAsync(RESOLUTION * 1000);
    expect(reads()).toBe(1);
    await vi.advanceTimersByTimeAsync(RESOLUTION * 1000);
    expect(reads()).toBe(2);
    expect(await stats(server)).toMatchObject({ recordedScrapes: 3, ownReads: 2 });
  });

  it('does not read while a scrape is being collected, however long it takes', async () => {
    const { scrapes, reads } = await startFed();
    scrapes.state.collecting = true;
    await vi.advanceTimersByTimeAsync(3 * RESOLUTION * 1000);
    expect(reads()).toBe(1);
    scrapes.state.collecting = false;
    await vi.advanceTimersByTimeAsync(RESOLUTION * 1000);
    expect(reads()).toBe(2);
  });

  it('keeps one sample per slot, in time order, whatever order the scrapes come in', async () => {
    const { server, scrapes } = await startFed();
    const t0 = T0 / 1000;
    await scrapes.push(t0 + 7);
    await scrapes.push(t0 + 6); // the same slot as the one before
    await scrapes.push(t0 + 4); // T0's slot, already taken by the first read, and earlier than the last sample
    await scrapes.push(t0 + 10);
    expect(await stats(server)).toMatchObject({ recordedScrapes: 2, ownReads: 1 });
  });

  it('stops listening when Fastify closes', async () => {
    const { server, scrapes } = await startFed();
    expect(scrapes.listeners.size).toBe(1);
    await server.close();
    expect(scrapes.listeners.size).toBe(0);
  });
});
