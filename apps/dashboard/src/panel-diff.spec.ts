import { buildDashboards, type DashboardConfigInfo, type Panel } from '@ebpf-exporter/dashboard-model';
import { describe, expect, it } from 'vitest';
import { diffPanels, isEmptyDiff } from './panel-diff';

const timers: DashboardConfigInfo = { name: 'timers', counters: [{ name: 'timer_starts_total', help: 'Timers fired', labels: ['function'] }], histograms: [] };
const biolatency: DashboardConfigInfo = {
  name: 'biolatency',
  counters: [],
  histograms: [{ name: 'bio_latency_seconds', help: 'Block IO latency', labels: ['device', 'operation'], bucketType: 'exp2' }],
};

const byId = (configs: DashboardConfigInfo[]): Map<string, Panel> => new Map(buildDashboards(configs).flatMap((d) => d.panels).map((p) => [p.id, p]));

describe('diffPanels', () => {
  it('adds the panels of a config a reload added and keeps the others', () => {
    const diff = diffPanels(byId([timers]), buildDashboards([timers, biolatency]));
    expect(diff.added.map((p) => p.id)).toEqual(['biolatency.bio_latency_seconds']);
    expect(diff).toMatchObject({ removed: [], changed: [], kept: ['timers.timer_starts_total'] });
  });
  it('drops the panels of a config a reload removed', () => {
    const diff = diffPanels(byId([timers, biolatency]), buildDashboards([timers]));
    expect(diff).toMatchObject({ added: [], removed: ['biolatency.bio_latency_seconds'], changed: [], kept: ['timers.timer_starts_total'] });
  });
  it('rebuilds a panel whose metric changed under the same id', () => {
    const relabelled = { ...timers, counters: [{ name: 'timer_starts_total', help: 'Timers fired', labels: ['function', 'cpu'] }] };
    const diff = diffPanels(byId([timers]), buildDashboards([relabelled]));
    expect(diff.changed.map((p) => p.labels)).toEqual([['function', 'cpu']]);
    expect(isEmptyDiff(diff)).toBe(false);
  });
  it('finds nothing to do when the configs are the same', () => {
    expect(isEmptyDiff(diffPanels(byId([timers, biolatency]), buildDashboards([timers, biolatency])))).toBe(true);
  });
});
