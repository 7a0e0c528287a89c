import { describe, expect, it } from 'vitest';
import type { DashboardConfigInfo } from './config-info';
import { grafanaDashboard } from './grafana';
import { buildDashboards, type HeatmapPanel, type RatePanel } from './panels';
import { bucketRateQuery, counterRateQuery, exactMatchers, quantileQuery } from './promql';

const biolatency: DashboardConfigInfo = {
  name: 'biolatency',
  counters: [],
  histograms: [{ name: 'bio_latency_seconds', help: 'Block IO latency histogram', labels: ['device', 'operation'], bucketType: 'exp2' }],
};
const timers: DashboardConfigInfo = {
  name: 'timers',
  counters: [{ name: 'timer_starts_total', help: 'Timers fired in the kernel', labels: ['function'] }],
  histograms: [],
};

describe('buildDashboards', () => {
  it('makes a log2 heatmap with p50/p90/p99 per histogram and a rate graph per counter', () => {
    const [bio, tim] = buildDashboards([biolatency, timers]);
    const heatmap = bio?.panels[0] as HeatmapPanel;
    expect(heatmap).toMatchObject({ kind: 'heatmap', metric: 'ebpf_exporter_bio_latency_seconds', yScale: 'log2', unit: 's', quantiles: [0.5, 0.9, 0.99] });
    expect(tim?.panels[0]).toMatchObject({ kind: 'rate', metric: 'ebpf_exporter_timer_starts_total', labels: ['function'] });
  });
  it('draws linear buckets on a linear axis', () => {
    const [d] = buildDashboards([{ name: 'syn', counters: [], histograms: [{ name: 'tcp_syn_backlog', help: 'h', labels: [], bucketType: 'linear' }] }]);
    expect((d?.panels[0] as HeatmapPanel).yScale).toBe('linear');
  });
});

describe('PromQL', () => {
  const [bio, tim] = buildDashboards([biolatency, timers]);
  const heatmap = bio?.panels[0] as HeatmapPanel;
  const rate = tim?.panels[0] as RatePanel;
  it('sums bucket rates by le for the heatmap, with label filters quoted', () => {
    expect(bucketRateQuery(heatmap, exactMatchers({ device: 'sda', operation: 'wr"ite' }), '1m')).toBe(
      'sum by (le) (rate(ebpf_exporter_bio_latency_seconds_bucket{device="sda",operation="wr\\"ite"}[1m]))',
    );
  });
  it('wraps the heatmap query in histogram_quantile for percentiles', () => {
    expect(quantileQuery(heatmap, 0.99, {}, '30s')).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(ebpf_exporter_bio_latency_seconds_bucket[30s])))',
    );
  });
  it('keeps the counter labels of a rate graph', () => {
    expect(counterRateQuery(rate, {}, '1m')).toBe('sum by (function) (rate(ebpf_exporter_timer_starts_total[1m]))');
  });
});

describe('grafanaDashboard', () => {
  it('generates a heatmap over de-accumulated buckets, a percentile panel and label variables', () => {
    const [bio] = buildDashboards([biolatency]);
    const dashboard = grafanaDashboard(bio!);
    expect(dashboard.uid).toBe('ebpf-exporter-biolatency');
    const [heatmap, percentiles] = dashboard.panels as { type: string; targets: { expr: string; format?: string }[] }[];
    expect(heatmap?.type).toBe('heatmap');
    expect(heatmap?.targets[0]).toMatchObject({
      format: 'heatmap',
      expr: 'sum by (le) (rate(ebpf_exporter_bio_latency_seconds_bucket{instance=~"$instance",device=~"$device",operation=~"$operation"}[$__rate_interval]))',
    });
    expect(percentiles?.targets.map((t) => t.expr.split(',')[0])).toEqual([
      'histogram_quantile(0.5',
      'histogram_quantile(0.9',
      'histogram_quantile(0.99',
    ]);
    const variables = dashboard.templating.list as { name: string; query?: unknown }[];
    expect(variables.map((v) => v.name)).toEqual(['datasource', 'instance', 'device', 'operation']);
  });
});
