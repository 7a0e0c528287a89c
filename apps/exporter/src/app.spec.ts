import { gunzipSync } from 'node:zlib';
import { integerLineWriter } from '@ebpf-exporter/bpf-native';
import { formatOpenMetrics, formatText, labelArenaOf, renderLabelPairs, type MetricFamily } from '@ebpf-exporter/metrics';
import { describe, expect, it } from 'vitest';
import { buildApp, type AppOptions } from './app';

// A counter family kept in columns, as the collector hands big maps over.
const columnFamily = (count: number) =>
  ({
    name: 'ops_total',
    help: 'Ops',
    type: 'counter',
    columns: {
      labelNames: ['op'],
      labels: labelArenaOf(Array.from({ length: count }, (_, i) => renderLabelPairs(['op'], [`op${i}`]))),
      values: Float64Array.from({ length: count }, (_, i) => (i % 7 === 0 ? i + 0.5 : i)),
    },
    get series(): never {
      throw new Error('the server must stream the columns');
    },
  }) as unknown as MetricFamily;
// ~90 KB of exposition: more than the server sends as one string, so it is streamed.
const family = columnFamily(3000);

async function scrape(options: Partial<AppOptions>, headers: Record<string, string> = {}): Promise<Buffer> {
  const app = await buildApp({ families: { families: async () => [family] }, telemetryPath: '/metrics', configNames: () => ['test'], ...options });
  try {
    const response = await app.inject({ method: 'GET', url: '/metrics', headers });
    expect(response.statusCode).toBe(200);
    // Both formats are gzipped when asked (OpenMetrics is what Prometheus 3 asks for first).
    const gzipped = headers['accept-encoding'] === 'gzip';
    expect(response.headers['content-encoding']).toBe(gzipped ? 'gzip' : undefined);
    return gzipped ? gunzipSync(response.rawPayload) : response.rawPayload;
  } finally {
    await app.close();
  }
}

// Every kind of line: columns with labels of 2- to 4-byte characters and float values, series kept as
// objects, a histogram; ~340 KB, so five chunks.
const mixed: MetricFamily[] = [
  {
    name: 'bytes_total',
    help: 'Bytes ä€',
    type: 'counter',
    series: [],
    columns: {
      labelNames: ['path'],
      labels: labelArenaOf(Array.from({ length: 6000 }, (_, i) => renderLabelPairs(['path'], [`/ä€😀/${i}`]))),
      values: Float64Array.from({ length: 6000 }, (_, i) => [i, i / 3, 1e6 + i, -i, Number.NaN][i % 5] as number),
    },
  },
  {
    name: 'temperature',
    help: 'Kept as objects',
    type: 'gauge',
    series: Array.from({ length: 1000 }, (_, i) => ({ labelNames: ['zone'], labelValues: [`zöne ${i}`], value: i * 0.25 })),
  },
  {
    name: 'latency_seconds',
    help: 'A histogram',
    type: 'histogram',
    series: Array.from({ length: 500 }, (_, i) => ({
      labelNames: ['op'],
      labelValues: [`öp${i}`],
      buckets: [0.001, 0.1, 1].map((upperBound, b) => ({ upperBound, cumulativeCount: i + b })),
      sum: i / 10,
      count: i + 3,
    })),
  },
];

describe('the telemetry route', () => {
  it('serves the same bytes with the addon writing integer lines as without', async () => {
    const expected = Buffer.from(formatText([family]));
    expect((await scrape({})).equals(expected)).toBe(true);
    expect((await scrape({ integerLines: integerLineWriter() })).equals(expected)).toBe(true);
  });

  it('streams a large exposition byte for byte as formatText and formatOpenMetrics write it, gzipped or not', async () => {
    const formats = [
      { accept: 'text/plain', expected: Buffer.from(formatText(mixed)) },
      { accept: 'application/openmetrics-text; version=1.0.0', expected: Buffer.from(formatOpenMetrics(mixed)) },
    ];
    for (const { accept, expected } of formats) {
      expect(expected.length).toBeGreaterThan(4 * 64 * 1024);
      for (const encoding of [{}, { 'accept-encoding': 'gzip' }] as Record<string, string>[]) {
        const body = await scrape({ families: { families: async () => mixed } }, { accept, ...encoding });
        expect(body.equals(expected), `${accept} ${JSON.stringify(encoding)}`).toBe(true);
      }
    }
  });

  it('sends small and large expositions whole, and tells afterScrape once how many bytes it sent', async () => {
    for (const sent of [columnFamily(10), family]) {
      const sizes: number[] = [];
      const body = await scrape({ families: { families: async () => [sent] }, afterScrape: (bytes) => void sizes.push(bytes) });
      expect(body.toString()).toBe(formatText([sent]));
      expect(sizes).toEqual([body.length]);
    }
  });
});

describe('--web.max-requests', () => {
  it('answers scrapes over the limit 503 at once, and serves again once the others are done', async () => {
    // A family source that holds each scrape until released: the test double for a slow collection.
    const held: (() => void)[] = [];
    const families = { families: () => new Promise<MetricFamily[]>((resolve) => held.push(() => resolve([family]))) };
    const app = await buildApp({ families, telemetryPath: '/metrics', configNames: () => ['test'], maxRequests: 2 });
    try {
      const first = app.inject({ method: 'GET', url: '/metrics' });
      const second = app.inject({ method: 'GET', url: '/metrics' });
      while (held.length < 2) await new Promise((resolve) => setImmediate(resolve));
      const third = await app.inject({ method: 'GET', url: '/metrics' });
      expect(third.statusCode).toBe(503);
      expect(third.body).toBe('Limit of concurrent requests reached (2), try again later.\n');
      for (const release of held.splice(0)) release();
      expect((await first).statusCode).toBe(200);
      expect((await second).statusCode).toBe(200);
      const fourth = app.inject({ method: 'GET', url: '/metrics' });
      while (held.length < 1) await new Promise((resolve) => setImmediate(resolve));
      held.splice(0).forEach((release) => release());
      expect((await fourth).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('/-/reload', () => {
  const app = (reload?: AppOptions['reload']) => buildApp({ families: { families: async () => [] }, telemetryPath: '/metrics', configNames: () => ['test'], reload });

  it("answers as Prometheus' lifecycle endpoint: 403 while off, the outcome when on", async () => {
    const off = await app();
    expect((await off.inject({ method: 'POST', url: '/-/reload' })).statusCode).toBe(403);
    let reloads = 0;
    const outcomes: Awaited<ReturnType<NonNullable<AppOptions['reload']>>>[] = [
      { ok: true, summary: 'kept test' },
      { ok: false, phase: 'config', error: 'config test: bad.yaml:3:5: metrics.counters[0].name: required' },
      { ok: false, phase: 'kernel', error: 'config test: loading test.bpf.o failed: Permission denied' },
    ];
    const on = await app(async () => outcomes[reloads++] as (typeof outcomes)[number]);
    const ok = await on.inject({ method: 'POST', url: '/-/reload' });
    expect([ok.statusCode, ok.body]).toEqual([200, 'kept test\n']);
    const refused = await on.inject({ method: 'PUT', url: '/-/reload' });
    expect([refused.statusCode, refused.body]).toEqual([400, 'failed to reload config: config test: bad.yaml:3:5: metrics.counters[0].name: required\n']);
    expect((await on.inject({ method: 'POST', url: '/-/reload' })).statusCode).toBe(500);
    expect(reloads).toBe(3);
  });
});

describe('server limits', () => {
  it('closes idle keep-alive connections after 30 s and cuts slow headers after 10 s', async () => {
    const app = await buildApp({ families: { families: async () => [] }, telemetryPath: '/metrics', configNames: () => ['test'] });
    try {
      expect([app.server.keepAliveTimeout, app.server.headersTimeout, app.server.requestTimeout]).toEqual([30_000, 10_000, 10_000]);
    } finally {
      await app.close();
    }
  });
});

describe('HTTP methods', () => {
  it('refuses writing methods with 405 and the methods the path takes', async () => {
    const app = await buildApp({ families: { families: async () => [family] }, telemetryPath: '/metrics', configNames: () => ['test'] });
    try {
      for (const [method, url] of [['POST', '/metrics'], ['DELETE', '/metrics'], ['PUT', '/'], ['PATCH', '/dashboard/api/info'], ['OPTIONS', '/metrics?x=1']] as const) {
        const response = await app.inject({ method, url });
        expect([method, url, response.statusCode, response.headers.allow]).toEqual([method, url, 405, 'GET, HEAD']);
      }
      const get = await app.inject({ method: 'GET', url: '/-/reload' });
      expect([get.statusCode, get.headers.allow]).toEqual([405, 'POST, PUT']);
      expect((await app.inject({ method: 'HEAD', url: '/metrics' })).statusCode).toBe(200);
      // Upstream's landing page on unknown paths stays.
      expect((await app.inject({ method: 'GET', url: '/nowhere' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('Accept-Encoding', () => {
  const small: MetricFamily[] = [{ name: 'up_total', help: 'Up', type: 'counter', series: [{ labelNames: [], labelValues: [], value: 1 }] }];
  const serve = (families: MetricFamily[]) => buildApp({ families: { families: async () => families }, telemetryPath: '/metrics', configNames: () => ['test'] });

  it.each([
    ['identity;q=0', 406, undefined],
    ['*;q=0', 406, undefined],
    ['compress', 200, undefined],
    ['identity;q=0, gzip', 200, 'gzip'],
    ['*;q=0, identity', 200, undefined],
    ['gzip;q=0, identity;q=0, deflate;q=0.5', 200, 'deflate'],
  ])('%j: %i, coded %s, small body or large', async (acceptEncoding, status, coding) => {
    for (const families of [small, [family]]) {
      const app = await serve(families);
      try {
        const response = await app.inject({ method: 'GET', url: '/metrics', headers: { 'accept-encoding': acceptEncoding } });
        expect([response.statusCode, response.headers['content-encoding']]).toEqual([status, coding]);
        if (status === 406) expect(response.headers.vary).toContain('Accept-Encoding');
        if (coding === 'gzip') expect(gunzipSync(response.rawPayload).toString()).toContain(families === small ? 'up_total 1' : 'ops_total{op="op2999"}');
      } finally {
        await app.close();
      }
    }
  });
});
