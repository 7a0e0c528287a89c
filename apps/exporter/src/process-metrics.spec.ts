import client from '@prometheus-io/client';
import { describe, expect, it } from 'vitest';
import { ProcessMetrics, toFamilies } from './process-metrics';

describe('process metrics', () => {
  it('converts prom-client histograms into cumulative buckets with sum and count', async () => {
    const registry = new client.Registry();
    const histogram = new client.Histogram({ name: 'h', help: 'help', labelNames: ['kind'], buckets: [1, 2], registers: [registry] });
    histogram.observe({ kind: 'a' }, 0.5);
    histogram.observe({ kind: 'a' }, 1.5);
    histogram.observe({ kind: 'a' }, 9);
    const [family] = toFamilies(await registry.getMetricsAsJSON());
    expect(family).toEqual({
      name: 'h',
      help: 'help',
      type: 'histogram',
      series: [{ labelNames: ['kind'], labelValues: ['a'], buckets: [{ upperBound: 1, cumulativeCount: 1 }, { upperBound: 2, cumulativeCount: 2 }], sum: 11, count: 3 }],
    });
  });

  it('includes the usual process and nodejs metrics', async () => {
    const names = (await new ProcessMetrics().families()).map((f) => f.name);
    expect(names).toContain('process_resident_memory_bytes');
    expect(names).toContain('process_cpu_seconds_total');
    expect(names).toContain('process_open_fds');
    expect(names).toContain('nodejs_version_info');
    expect(names).toContain('nodejs_gc_duration_seconds');
    expect(names).toContain('nodejs_active_handles');
    expect(names).not.toContain('nodejs_active_handles_total');
    // Left out for their cost (process-metrics.ts).
    expect(names).not.toContain('nodejs_eventloop_lag_seconds');
    expect(names).not.toContain('nodejs_heap_space_size_used_bytes');
  });
});
