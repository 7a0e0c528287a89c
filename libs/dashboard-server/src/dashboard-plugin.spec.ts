import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { MetricFamily } from '@ebpf-exporter/metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboardPlugin, type DashboardOptions } from './dashboard-plugin';

const configs: DashboardOptions['configs'] = [
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
    configs,
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
    expect(info.source).toEqual({ kind: 'history', windowSeconds: 60, resolutionSeconds: 0.05 });
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
      await app.register(dashboardPlugin, { prefix: '/dashboard', families, configs, historyWindowSeconds: 60, historyResolutionSeconds: 5, assetsDir: empty });
      const response = await app.inject('/dashboard/');
      expect(response.statusCode).toBe(503);
      expect(response.body).toContain('npx nx build dashboard');
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
