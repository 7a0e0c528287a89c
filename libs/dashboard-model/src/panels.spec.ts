import { describe, expect, it } from 'vitest';
import type { DashboardConfigInfo } from './config-info';
import { grafanaDashboard } from './grafana';
import { buildDashboards, type GaugePanel, type HeatmapPanel, type RatePanel } from './panels';
import { bucketRateQuery, counterRateQuery, exactMatchers, gaugeQuery, quantileQuery } from './promql';

const biolatency: DashboardConfigInfo = {
  name: 'biolatency',
  counters: [],
  gauges: [],
  histograms: [{ name: 'bio_latency_seconds', help: 'Block IO latency histogram', labels: ['device', 'operation'], bucketType: 'exp2' }],
};
const timers: DashboardConfigInfo = {
  name: 'timers',
  counters: [{ name: 'timer_starts_total', help: 'Timers fired in the kernel', labels: ['function'] }],
  gauges: [],
  histograms: [],
};
/** A gauge and a histogram read from per-CPU maps, as issue #15's configs declare them. */
const softirqs: DashboardConfigInfo = {
  name: 'softirqs',
  counters: [],
  gauges: [{ name: 'softirq_pending_bytes', help: 'Bytes waiting per vector', labels: ['vec'] }],
  histograms: [{ name: 'softirq_wait_seconds', help: 'Wait before service', labels: ['vec', 'cpu'], bucketType: 'exp2' }],
};

describe('buildDashboards', () => {
  it('makes a log2 heatmap with p50/p90/p99 per histogram and a rate graph per counter', () => {
    const [bio, tim] = buildDashboards([biolatency, timers]);
    const heatmap = bio?.panels[0] as HeatmapPanel;
    expect(heatmap).toMatchObject({ kind: 'heatmap', metric: 'ebpf_exporter_bio_latency_seconds', yScale: 'log2', unit: 's', quantiles: [0.5, 0.9, 0.99] });
    expect(tim?.panels[0]).toMatchObject({ kind: 'rate', metric: 'ebpf_exporter_timer_starts_total', labels: ['function'] });
  });
  it('draws linear buckets on a linear axis', () => {
    const [d] = buildDashboards([{ name: 'syn', counters: [], gauges: [], histograms: [{ name: 'tcp_syn_backlog', help: 'h', labels: [], bucketType: 'linear' }] }]);
    expect((d?.panels[0] as HeatmapPanel).yScale).toBe('linear');
  });
  it('makes a gauge a panel of its own kind, titled by its name and not as a rate', () => {
    const [d] = buildDashboards([softirqs]);
    expect(d?.panels.map((p) => p.kind)).toEqual(['heatmap', 'gauge']);
    expect(d?.panels[1]).toMatchObject({ kind: 'gauge', title: 'softirq_pending_bytes', metric: 'ebpf_exporter_softirq_pending_bytes', labels: ['vec'], unit: 'bytes' });
  });
  it('offers the per-CPU view only to a histogram whose series carry a cpu label', () => {
    const [perCpu] = buildDashboards([softirqs]);
    const [bio] = buildDashboards([biolatency]);
    expect((perCpu?.panels[0] as HeatmapPanel).perCpu).toBe(true);
    expect((bio?.panels[0] as HeatmapPanel).perCpu).toBe(false);
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
  const [soft] = buildDashboards([softirqs]);
  const perCpu = soft?.panels[0] as HeatmapPanel;
  const gauge = soft?.panels[1] as GaugePanel;
  it('reads a gauge with a plain selector: no rate, no sum', () => {
    expect(gaugeQuery(gauge, exactMatchers({ vec: 'net_rx' }))).toBe('ebpf_exporter_softirq_pending_bytes{vec="net_rx"}');
    expect(gaugeQuery(gauge, {})).toBe('ebpf_exporter_softirq_pending_bytes');
  });
  it('sums a per-CPU histogram over CPUs by default and keeps cpu for one heatmap per CPU', () => {
    expect(bucketRateQuery(perCpu, {}, '1m')).toBe('sum by (le) (rate(ebpf_exporter_softirq_wait_seconds_bucket[1m]))');
    expect(bucketRateQuery(perCpu, exactMatchers({ vec: 'timer' }), '1m', 'per-cpu')).toBe(
      'sum by (le, cpu) (rate(ebpf_exporter_softirq_wait_seconds_bucket{vec="timer"}[1m]))',
    );
    expect(quantileQuery(perCpu, 0.5, {}, '1m', 'per-cpu')).toBe(
      'histogram_quantile(0.5, sum by (le, cpu) (rate(ebpf_exporter_softirq_wait_seconds_bucket[1m])))',
    );
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

type GrafanaPanel = {
  type: string;
  title: string;
  gridPos: { y: number };
  collapsed?: boolean;
  repeat?: string;
  targets?: { expr: string; legendFormat?: string }[];
  fieldConfig?: { defaults: { unit?: string } };
  panels?: GrafanaPanel[];
};

describe('grafanaDashboard of gauges and per-CPU histograms', () => {
  const [soft] = buildDashboards([softirqs]);
  const dashboard = grafanaDashboard(soft!);
  const panels = dashboard.panels as GrafanaPanel[];
  it('draws a gauge as a time series of its values, per host, without rate', () => {
    const gauge = panels.find((p) => p.title === 'softirq_pending_bytes');
    expect(gauge).toMatchObject({ type: 'timeseries', fieldConfig: { defaults: { unit: 'bytes' } } });
    expect(gauge?.targets?.[0]).toEqual(
      expect.objectContaining({ expr: 'topk(10, ebpf_exporter_softirq_pending_bytes{instance=~"$instance",vec=~"$vec"})', legendFormat: '{{instance}} {{vec}}' }),
    );
  });
  it('sums the selected CPUs in the heatmap and repeats it per CPU in a collapsed row at the bottom', () => {
    expect(panels.map((p) => p.type)).toEqual(['heatmap', 'timeseries', 'timeseries', 'row']);
    expect(panels[0]?.targets?.[0]?.expr).toBe(
      'sum by (le) (rate(ebpf_exporter_softirq_wait_seconds_bucket{instance=~"$instance",vec=~"$vec",cpu=~"$cpu"}[$__rate_interval]))',
    );
    const row = panels[3];
    expect(row).toMatchObject({ title: 'softirq_wait_seconds per CPU', collapsed: true });
    // Below every other panel: Grafana would count any panel after the row as inside it.
    expect(row?.gridPos.y).toBeGreaterThan(Math.max(...panels.slice(0, 3).map((p) => p.gridPos.y)));
    const [perCpu] = row?.panels ?? [];
    expect(perCpu).toMatchObject({ type: 'heatmap', repeat: 'cpu', title: 'softirq_wait_seconds on CPU $cpu' });
    expect(perCpu?.targets?.[0]?.expr).toBe(panels[0]?.targets?.[0]?.expr);
    const variables = dashboard.templating.list as { name: string; sort?: number }[];
    expect(variables.find((v) => v.name === 'cpu')?.sort).toBe(3);
    expect(variables.find((v) => v.name === 'vec')?.sort).toBe(1);
  });
  it('adds no row to a dashboard without per-CPU histograms', () => {
    const [bio] = buildDashboards([biolatency]);
    expect((grafanaDashboard(bio!).panels as GrafanaPanel[]).map((p) => p.type)).toEqual(['heatmap', 'timeseries']);
  });
});
