// The exporter's `/dashboard/` endpoint: the built app, a bounded history of the exporter's own
// metrics, a small JSON API over it, generated Grafana dashboards, and (when configured) a pass-through
// to Prometheus's query API so the browser does not need to reach Prometheus itself.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { MetricFamily } from '@ebpf-exporter/metrics';
import {
  buildDashboards,
  grafanaDashboard,
  matrixToJson,
  DEFAULT_TOP_SERIES,
  type DashboardConfigInfo,
  type LabelFilters,
} from '@ebpf-exporter/dashboard-model';
import { defaultAssetsDir } from './assets-dir';
import { MetricHistory, type RangeQuery, type SampleTimes } from './metric-history';

/** A scrape the exporter served: when its collection started (Unix seconds), and what it collected. */
export type ScrapeListener = (startSeconds: number, families: readonly MetricFamily[]) => void;

/** The scrapes the exporter serves, for the history to record instead of reading every map again. */
export interface ScrapeFeed {
  /**
   * Calls `listener` with each scrape once it is collected, before it is answered (so the families are
   * still those of that scrape); returns the unsubscribe.
   */
  subscribe(listener: ScrapeListener): () => void;
  /** Whether a scrape is being collected now: its families are on their way to the listeners. */
  collecting(): boolean;
}

export interface DashboardOptions {
  /** The exporter's current metric families (names are `ebpf_exporter_<name>`), read afresh on each call. */
  families: () => Promise<MetricFamily[]>;
  /** Without it the history calls `families` once per resolution; with it, only for a resolution without scrapes. */
  scrapes?: ScrapeFeed;
  /** The configs running now, asked on each request: a reload adds and removes them. */
  configs: () => DashboardConfigInfo[];
  /** With a Prometheus-compatible server the app queries it (through this plugin) instead of the history. */
  prometheusUrl?: string;
  historyWindowSeconds: number;
  historyResolutionSeconds: number;
  assetsDir?: string;
  /** Memory budget of the history; defaults to {@link DEFAULT_HISTORY_MAX_BYTES}. */
  historyMaxBytes?: number;
}

/**
 * 16 MiB (`--dashboard.history-memory`): at the default 1 h / 5 s that is about 100 histogram series of 28
 * buckets, or 2 900 counter series. An exporter runs on every node: 64 MiB made the history a quarter of
 * the peak memory of a 1M-series exporter (BENCHMARKS.md), 16 MiB costs it ~8%.
 */
export const DEFAULT_HISTORY_MAX_BYTES = 16 * 1024 * 1024;
/** Prometheus refuses range queries with more points than this; so does the history API. */
const MAX_POINTS = 11000;

/**
 * What the app asks at load and again at every refresh: which panels to build (a reload adds and removes
 * configs), where to get data from and, for the history, which samples it holds so far.
 */
export interface DashboardInfo {
  configs: DashboardConfigInfo[];
  source:
    | { kind: 'history'; windowSeconds: number; resolutionSeconds: number; samples: SampleTimes | null }
    | { kind: 'prometheus'; url: string };
}

export const dashboardPlugin: FastifyPluginAsync<DashboardOptions> = async (app, options) => {
  let source: () => DashboardInfo['source'];
  if (options.prometheusUrl) {
    registerPrometheusProxy(app, options.prometheusUrl);
    source = () => ({ kind: 'prometheus', url: 'api/prometheus' });
  } else {
    const history = registerHistory(app, options);
    source = () => ({
      kind: 'history',
      windowSeconds: options.historyWindowSeconds,
      resolutionSeconds: options.historyResolutionSeconds,
      samples: history.sampleTimes() ?? null,
    });
  }
  app.get('/api/info', async (): Promise<DashboardInfo> => ({ configs: options.configs(), source: source() }));
  registerGrafanaRoutes(app, options.configs);
  await registerAssets(app, options.assetsDir ?? defaultAssetsDir());
};

function registerHistory(app: FastifyInstance, options: DashboardOptions): MetricHistory {
  const resolution = options.historyResolutionSeconds;
  const history = new MetricHistory({
    windowSeconds: options.historyWindowSeconds,
    resolutionSeconds: resolution,
    maxBytes: options.historyMaxBytes ?? DEFAULT_HISTORY_MAX_BYTES,
  });
  // The ring holds one window's worth of samples at one per resolution: more often, and it would cover
  // less than the window. So time is cut into slots of one resolution (aligned to the epoch) and each slot
  // keeps the first sample that started in it; scrapes that come faster are answered, not recorded. A
  // sample from an earlier slot than the last one recorded (a slow collection overtaken by a quicker one)
  // is dropped too, which keeps the ring's times in order, as its rates need.
  let lastSlot = Number.NEGATIVE_INFINITY;
  const counts = { recordedScrapes: 0, ownReads: 0 };
  const offer = (startSeconds: number, families: readonly MetricFamily[]): boolean => {
    const slot = Math.floor(startSeconds / resolution);
    if (slot <= lastSlot) return false;
    lastSlot = slot;
    history.record(startSeconds, families);
    return true;
  };

  let scrapedSinceTick = false;
  const onScrape: ScrapeListener = (startSeconds, families) => {
    scrapedSinceTick = true;
    try {
      if (offer(startSeconds, families)) counts.recordedScrapes++;
    } catch (error) {
      // The scrape itself is answered all the same.
      app.log.warn({ err: error }, 'dashboard history: recording a scrape failed, sample skipped');
    }
  };
  let sampling = false;
  const readItself = async (): Promise<void> => {
    // A slow read must not pile up readers behind it; that sample is simply skipped.
    if (sampling) return;
    sampling = true;
    counts.ownReads++;
    try {
      // Like Prometheus, stamp the sample with the moment the read started, not when it finished.
      const time = Date.now() / 1000;
      offer(time, await options.families());
    } catch (error) {
      app.log.warn({ err: error }, 'dashboard history: reading metrics failed, sample skipped');
    } finally {
      sampling = false;
    }
  };
  // Reading every map is what a scrape costs: done only when no scrape came since the last tick, one
  // resolution ago, and none is being collected (a slow one delivers its sample when it is done).
  const tick = (): void => {
    const scraped = scrapedSinceTick || options.scrapes?.collecting() === true;
    scrapedSinceTick = false;
    if (!scraped) void readItself();
  };
  let timer: ReturnType<typeof setInterval> | undefined;
  let unsubscribe: (() => void) | undefined;
  // The first sample is taken as soon as the server is ready, without waiting for a first scrape.
  app.addHook('onReady', async () => {
    unsubscribe = options.scrapes?.subscribe(onScrape);
    await readItself();
    timer = setInterval(tick, resolution * 1000);
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    unsubscribe?.();
  });

  app.get('/api/history/buckets', { schema: { querystring: rangeSchema } }, async (request, reply) => {
    const query = parseRange(request.query as RangeQueryString);
    if (typeof query === 'string') return reply.code(400).send({ error: query });
    return matrixToJson(history.bucketRates(query));
  });
  // Counters (as rates) and gauges (as values): the history knows which a metric is (see scalarSeries).
  app.get('/api/history/counters', { schema: { querystring: rangeSchema } }, async (request, reply) => {
    const raw = request.query as RangeQueryString;
    const query = parseRange(raw);
    if (typeof query === 'string') return reply.code(400).send({ error: query });
    return history.scalarSeries(query, raw.top ?? DEFAULT_TOP_SERIES);
  });
  app.get('/api/history/labels', { schema: { querystring: labelsSchema } }, async (request) => {
    return history.labelValues((request.query as { metric: string }).metric);
  });
  app.get('/api/history/stats', async () => ({
    capacity: history.capacity,
    series: history.seriesCount(),
    storedValues: history.storedValues(),
    droppedSeries: history.droppedSeries,
    // Where the samples came from: scrapes recorded, and reads of every map the history made itself.
    recordedScrapes: counts.recordedScrapes,
    ownReads: counts.ownReads,
  }));
  return history;
}

interface RangeQueryString {
  metric: string;
  start: number;
  end: number;
  step: number;
  window: number;
  top?: number;
  filter?: string[];
}

const rangeSchema = {
  type: 'object',
  required: ['metric', 'start', 'end', 'step', 'window'],
  properties: {
    metric: { type: 'string', minLength: 1 },
    start: { type: 'number' },
    end: { type: 'number' },
    step: { type: 'number', exclusiveMinimum: 0 },
    window: { type: 'number', exclusiveMinimum: 0 },
    top: { type: 'integer', minimum: 1 },
    filter: { type: 'array', items: { type: 'string', pattern: '^[a-zA-Z_][a-zA-Z0-9_]*=' } },
  },
} as const;

const labelsSchema = {
  type: 'object',
  required: ['metric'],
  properties: { metric: { type: 'string', minLength: 1 } },
} as const;

function parseRange(raw: RangeQueryString): RangeQuery | string {
  if (raw.end < raw.start) return `end (${raw.end}) is before start (${raw.start})`;
  if ((raw.end - raw.start) / raw.step > MAX_POINTS) return `more than ${MAX_POINTS} points: raise step`;
  const filters: Record<string, string> = {};
  for (const filter of raw.filter ?? []) {
    const at = filter.indexOf('=');
    filters[filter.slice(0, at)] = filter.slice(at + 1);
  }
  return { metric: raw.metric, filters: filters as LabelFilters, start: raw.start, end: raw.end, step: raw.step, window: raw.window };
}

function registerGrafanaRoutes(app: FastifyInstance, configs: () => readonly DashboardConfigInfo[]): void {
  app.get('/api/grafana/:file', async (request, reply) => {
    const file = (request.params as { file: string }).file;
    const name = file.endsWith('.json') ? file.slice(0, -'.json'.length) : undefined;
    const built = buildDashboards(configs().filter((config) => config.name === name))[0];
    const dashboard = built && grafanaDashboard(built);
    if (!dashboard) return reply.code(404).send({ error: `no config named ${JSON.stringify(file.replace(/\.json$/, ''))}` });
    return dashboard;
  });
}

/** Only Prometheus's read-only query API is passed through, never its admin or write endpoints. */
function registerPrometheusProxy(app: FastifyInstance, prometheusUrl: string): void {
  const base = prometheusUrl.endsWith('/') ? prometheusUrl : `${prometheusUrl}/`;
  const allowed = /^api\/v1\/(query|query_range|series|labels|label\/[^/]+\/values|metadata)$/;
  app.get('/api/prometheus/*', async (request, reply) => {
    const path = (request.params as { '*': string })['*'];
    if (!allowed.test(path)) return reply.code(404).send({ error: `not a Prometheus query endpoint: ${path}` });
    const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    try {
      const response = await fetch(new URL(path + search, base), { signal: AbortSignal.timeout(30_000) });
      return reply
        .code(response.status)
        .type(response.headers.get('content-type') ?? 'application/json')
        .send(await response.text());
    } catch (error) {
      return reply.code(502).send({ status: 'error', error: `Prometheus at ${prometheusUrl} unreachable: ${(error as Error).message}` });
    }
  });
}

async function registerAssets(app: FastifyInstance, assetsDir: string | undefined): Promise<void> {
  if (!assetsDir || !existsSync(join(assetsDir, 'index.html'))) {
    const where = assetsDir ? ` (no index.html in ${assetsDir})` : '';
    app.get('/', async (_request, reply) =>
      reply.code(503).type('text/plain').send(`Dashboard assets are not built${where}: run \`npx nx build dashboard\`.\n`),
    );
    return;
  }
  // The app's asset URLs are relative, so `/dashboard` must become `/dashboard/` before it loads.
  app.get('', { exposeHeadRoute: false }, async (request, reply) => reply.redirect(`${request.url.split('?')[0]}/`));
  await app.register(fastifyStatic, { root: assetsDir, prefix: '/' });
}
