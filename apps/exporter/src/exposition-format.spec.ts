import { gunzipSync } from 'node:zlib';
import { formatOpenMetrics, formatText, type MetricFamily } from '@ebpf-exporter/metrics';
import { concatChunks, decodeMetricFamilies } from '@ebpf-exporter/metrics/testing';
import { describe, expect, it } from 'vitest';
import { buildApp } from './app';
import { negotiateExposition } from './exposition-format';

const PROTOBUF_ACCEPT =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';

// A histogram in microseconds-as-seconds (no native form) and one in powers of two, and a counter large
// enough (~60 KB as protobuf) to be worth compressing.
const families: MetricFamily[] = [
  {
    name: 'latency_seconds',
    help: 'h',
    type: 'histogram',
    series: [
      { labelNames: ['unit'], labelValues: ['us'], buckets: [{ upperBound: 1e-6, cumulativeCount: 1 }, { upperBound: 2e-6, cumulativeCount: 3 }], sum: 4e-6, count: 3 },
      { labelNames: ['unit'], labelValues: ['pow2'], buckets: [{ upperBound: 0.5, cumulativeCount: 1 }, { upperBound: 1, cumulativeCount: 3 }], sum: 2, count: 3 },
    ],
  },
  {
    name: 'ops_total',
    help: 'Ops',
    type: 'counter',
    series: Array.from({ length: 2000 }, (_, i) => ({ labelNames: ['op'], labelValues: [`op${i}`], value: i })),
  },
];

function bytesOf(chunks: Iterator<Uint8Array>): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let next = chunks.next(); !next.done; next = chunks.next()) parts.push(next.value.slice());
  return concatChunks(parts);
}

describe('negotiateExposition', () => {
  it('serves text and OpenMetrics exactly as before', () => {
    const text = negotiateExposition('text/plain;version=0.0.4');
    expect(text.contentType).toBe('text/plain; version=0.0.4; charset=utf-8; escaping=underscores');
    expect(new TextDecoder().decode(bytesOf(text.chunks(families)))).toBe(formatText(families));
    const openMetrics = negotiateExposition('application/openmetrics-text;version=1.0.0');
    expect(new TextDecoder().decode(bytesOf(openMetrics.chunks(families)))).toBe(formatOpenMetrics(families));
  });

  it('serves protobuf when Prometheus asks for it first, with native buckets only where the bounds are powers of two', () => {
    const protobuf = negotiateExposition(PROTOBUF_ACCEPT, { histograms: { classic: false } });
    expect(protobuf.contentType).toBe('application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited; escaping=underscores');
    const [histogram, counter] = decodeMetricFamilies(bytesOf(protobuf.chunks(families))) as [
      { metric: { histogram: Record<string, unknown> }[] },
      { name: string; metric: unknown[] },
    ];
    // Sorted by label value: pow2 before us.
    const [pow2, micro] = histogram.metric.map((metric) => metric.histogram);
    expect(micro).toMatchObject({ sample_count: 3, bucket: [{ upper_bound: 1e-6 }, { upper_bound: 2e-6 }] });
    expect(micro).not.toHaveProperty('schema');
    expect(pow2).toEqual({ sample_count: 3, sample_sum: 2, schema: 0, zero_threshold: 0, zero_count: 0, positive_span: [{ offset: -1, length: 2 }], positive_delta: [1, 1] });
    expect([counter.name, counter.metric.length]).toEqual(['ops_total', 2000]);
  });
});

describe('/metrics in protobuf', () => {
  it('is gzipped when asked, with the histogram switches the app was given', async () => {
    const app = await buildApp({ families: { families: async () => families }, telemetryPath: '/metrics', configNames: () => ['test'], histograms: { native: false } });
    try {
      const response = await app.inject({ method: 'GET', url: '/metrics', headers: { accept: PROTOBUF_ACCEPT, 'accept-encoding': 'gzip' } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/vnd\.google\.protobuf; proto=io\.prometheus\.client\.MetricFamily; encoding=delimited/);
      expect(response.headers['content-encoding']).toBe('gzip');
      const decoded = decodeMetricFamilies(gunzipSync(response.rawPayload)) as { name: string; metric: { histogram?: Record<string, unknown> }[] }[];
      expect(decoded.map((family) => family.name)).toEqual(['latency_seconds', 'ops_total']);
      expect(decoded[0]?.metric.map((metric) => metric.histogram && 'schema' in metric.histogram)).toEqual([false, false]);
    } finally {
      await app.close();
    }
  });
});
