import type { MetricFamily } from '@ebpf-exporter/metrics';
import { describe, expect, it } from 'vitest';
import { MetricHistory } from './metric-history';

const bounds = [0.001, 0.002, 0.004];

/** A histogram family whose `sda` series has seen `n` observations per bucket so far. */
function latency(n: number, devices: readonly string[] = ['sda']): MetricFamily {
  return {
    name: 'ebpf_exporter_bio_latency_seconds',
    help: 'h',
    type: 'histogram',
    series: devices.map((device) => ({
      labelNames: ['device'],
      labelValues: [device],
      buckets: bounds.map((upperBound, i) => ({ upperBound, cumulativeCount: n * (i + 1) })),
      sum: 0,
      count: n * 4,
    })),
  };
}

function counter(values: Record<string, number>): MetricFamily {
  return {
    name: 'ebpf_exporter_timer_starts_total',
    help: 'h',
    type: 'counter',
    series: Object.entries(values).map(([fn, value]) => ({ labelNames: ['function'], labelValues: [fn], value })),
  };
}

describe('MetricHistory', () => {
  it('answers sum by (le) (rate(x_bucket[w])) from the recorded samples', () => {
    const history = new MetricHistory({ windowSeconds: 60, resolutionSeconds: 5, maxBytes: 1 << 20 });
    // Each of the two devices gains 10 observations per bucket step every 5 s.
    for (let i = 0; i <= 12; i++) history.record(1000 + 5 * i, [latency(10 * i, ['sda', 'sdb'])]);
    const matrix = history.bucketRates({ metric: 'ebpf_exporter_bio_latency_seconds', filters: {}, start: 1050, end: 1060, step: 5, window: 10 });
    expect(matrix.upperBounds).toEqual([...bounds, Number.POSITIVE_INFINITY]);
    // Bucket k of one device grows by 10*(k+1) per 5 s = 2*(k+1)/s; two devices double it.
    expect(matrix.cumulativeRates).toEqual([[4, 4, 4], [8, 8, 8], [12, 12, 12], [16, 16, 16]]);
    const sdaOnly = history.bucketRates({ metric: 'ebpf_exporter_bio_latency_seconds', filters: { device: 'sda' }, start: 1060, end: 1060, step: 5, window: 10 });
    expect(sdaOnly.cumulativeRates.map((r) => r[0])).toEqual([2, 4, 6, 8]);
  });

  it('ranks counter label sets by rate and keeps the top ones', () => {
    const history = new MetricHistory({ windowSeconds: 60, resolutionSeconds: 1, maxBytes: 1 << 20 });
    for (let t = 0; t <= 10; t++) history.record(t, [counter({ busy: 100 * t, idle: t, medium: 10 * t })]);
    const result = history.counterRates({ metric: 'ebpf_exporter_timer_starts_total', filters: {}, start: 5, end: 10, step: 5, window: 5 }, 2);
    expect(result.series).toEqual([
      { labels: { function: 'busy' }, values: [100, 100] },
      { labels: { function: 'medium' }, values: [10, 10] },
    ]);
    expect(history.labelValues('ebpf_exporter_timer_starts_total')).toEqual({ function: ['busy', 'idle', 'medium'] });
  });

  it('keeps memory within its byte budget: fixed rings, churned series forgotten, new ones refused when full', () => {
    const limits = { windowSeconds: 50, resolutionSeconds: 5, maxBytes: 32 * 1024 };
    const history = new MetricHistory(limits);
    expect(history.capacity).toBe(11);
    const maxValues = limits.maxBytes / 8;
    // Every sample brings 5 never-seen-before label values (short-lived cgroups, say) for 1000 samples.
    for (let i = 0; i < 1000; i++) {
      const devices = Array.from({ length: 5 }, (_, k) => `dev${i * 5 + k}`);
      history.record(i * 5, [latency(i, devices), counter({ [`fn${i}`]: i })]);
      expect(history.storedValues()).toBeLessThanOrEqual(maxValues);
    }
    // Series unseen for a window are dropped, so the newest ones still get recorded.
    expect(history.labelValues('ebpf_exporter_bio_latency_seconds').device).toContain('dev4999');
    // The rings are the memory: their real size matches the accounting.
    const histogramSeries = history.labelValues('ebpf_exporter_bio_latency_seconds').device?.length ?? 0;
    const counterSeries = history.labelValues('ebpf_exporter_timer_starts_total').function?.length ?? 0;
    expect(history.storedValues()).toBe(history.capacity * (histogramSeries * (bounds.length + 1) + counterSeries));

    const flood = new MetricHistory(limits);
    flood.record(0, [latency(1, Array.from({ length: 1000 }, (_, k) => `dev${k}`))]);
    const fitting = Math.floor(maxValues / (flood.capacity * (bounds.length + 1)));
    expect(flood.seriesCount()).toBe(fitting);
    expect(flood.droppedSeries).toBe(1000 - fitting);
  });

  it('rejects a window shorter than the resolution with one clear message', () => {
    expect(() => new MetricHistory({ windowSeconds: 1, resolutionSeconds: 5, maxBytes: 1024 })).toThrow(/window \(1s\) must be at least the resolution \(5s\)/);
  });
});
