import { integerLineWriter } from '@ebpf-exporter/bpf-native';
import { formatText, labelArenaOf, renderLabelPairs, type MetricFamily } from '@ebpf-exporter/metrics';
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

async function scrape(options: Partial<AppOptions>): Promise<string> {
  const app = await buildApp({ families: { families: async () => [family] }, telemetryPath: '/metrics', configNames: ['test'], ...options });
  try {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    return response.body;
  } finally {
    await app.close();
  }
}

describe('the telemetry route', () => {
  it('serves the same bytes with the addon writing integer lines as without', async () => {
    const expected = formatText([family]);
    expect(await scrape({})).toBe(expected);
    expect(await scrape({ integerLines: integerLineWriter() })).toBe(expected);
  });

  it('sends small and large expositions whole, and tells afterScrape once how much it sent', async () => {
    for (const sent of [columnFamily(10), family]) {
      const sizes: number[] = [];
      const body = await scrape({ families: { families: async () => [sent] }, afterScrape: (chars) => void sizes.push(chars) });
      expect(body).toBe(formatText([sent]));
      expect(sizes).toEqual([body.length]);
    }
  });
});

describe('--web.max-requests', () => {
  it('answers scrapes over the limit 503 at once, and serves again once the others are done', async () => {
    // A family source that holds each scrape until released: the test double for a slow collection.
    const held: (() => void)[] = [];
    const families = { families: () => new Promise<MetricFamily[]>((resolve) => held.push(() => resolve([family]))) };
    const app = await buildApp({ families, telemetryPath: '/metrics', configNames: ['test'], maxRequests: 2 });
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
