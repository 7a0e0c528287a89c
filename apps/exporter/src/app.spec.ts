import { integerLineWriter } from '@ebpf-exporter/bpf-native';
import { formatText, labelArenaOf, renderLabelPairs, type MetricFamily } from '@ebpf-exporter/metrics';
import { describe, expect, it } from 'vitest';
import { buildApp, type AppOptions } from './app';

// A counter family kept in columns, as the collector hands big maps over.
const family = {
  name: 'ops_total',
  help: 'Ops',
  type: 'counter',
  columns: {
    labelNames: ['op'],
    labels: labelArenaOf(Array.from({ length: 3000 }, (_, i) => renderLabelPairs(['op'], [`op${i}`]))),
    values: Float64Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? i + 0.5 : i)),
  },
  get series(): never {
    throw new Error('the server must stream the columns');
  },
} as unknown as MetricFamily;

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

  it('runs afterScrape once per scrape', async () => {
    let calls = 0;
    await scrape({ afterScrape: () => void calls++ });
    expect(calls).toBe(1);
  });
});
