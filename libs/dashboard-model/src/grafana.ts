// A Grafana dashboard per config, generated from the same panel model as the bundled app, for users who
// already run Grafana. Grafana cannot overlay percentiles or thresholds on its heatmap, so each heatmap
// gets a percentile time series beside it. A per-CPU histogram's heatmap sums the CPUs the `cpu` variable
// selects (all by default); its heatmaps per CPU wait in a collapsed row at the bottom, repeated for each
// selected CPU, so they cost no query until opened.
import { CPU_LABEL } from './config-info';
import type { Dashboard, GaugePanel, HeatmapPanel, Panel, RatePanel } from './panels';
import { bucketRateQuery, counterRateQuery, gaugeQuery, quantileQuery, type Matcher } from './promql';

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;
const RATE_INTERVAL = '$__rate_interval';
const FULL_WIDTH = 24;
const PANEL_HEIGHT = 9;
/** Prometheus adds it to every scraped series; with several exporters it picks the host. */
const INSTANCE_LABEL = 'instance';
/** Heatmaps per CPU side by side; more CPUs wrap onto further lines of the row. */
const CPUS_PER_LINE = 4;
/** Grafana's variable sort orders: CPU indexes read in numeric order (0, 1, 2, ..., 10), the rest alphabetically. */
const SORT_ALPHABETICAL = 1;
const SORT_NUMERICAL = 3;

export interface GrafanaDashboard {
  uid: string;
  title: string;
  tags: string[];
  schemaVersion: number;
  editable: boolean;
  time: { from: string; to: string };
  refresh: string;
  templating: { list: object[] };
  panels: object[];
}

export function grafanaDashboard(dashboard: Dashboard): GrafanaDashboard {
  const labelFilters = uniqueLabels(dashboard.panels);
  let nextId = 1;
  let y = 0;
  const panels: object[] = [];
  for (const panel of dashboard.panels) {
    const matchers = templateMatchers(panel.labels);
    if (panel.kind === 'heatmap') {
      panels.push(heatmapPanel(panel, matchers, nextId++, { x: 0, y, w: FULL_WIDTH * (2 / 3), h: PANEL_HEIGHT }));
      panels.push(quantilePanel(panel, matchers, nextId++, y));
    } else if (panel.kind === 'gauge') {
      panels.push(gaugePanel(panel, matchers, nextId++, y));
    } else {
      panels.push(ratePanel(panel, matchers, nextId++, y));
    }
    y += PANEL_HEIGHT;
  }
  // Rows last: Grafana counts every panel below a row as the row's, so no other panel may follow one.
  for (const panel of dashboard.panels) {
    if (panel.kind !== 'heatmap' || !panel.perCpu) continue;
    panels.push(perCpuRow(panel, templateMatchers(panel.labels), nextId, y));
    nextId += 2;
    y += 1;
  }
  return {
    uid: `ebpf-exporter-${dashboard.config}`.slice(0, 40),
    title: `eBPF exporter: ${dashboard.config}`,
    tags: ['ebpf_exporter'],
    schemaVersion: 39,
    editable: true,
    time: { from: 'now-1h', to: 'now' },
    refresh: '30s',
    templating: {
      list: [
        { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus' },
        ...labelFilters.map(({ label, metric }) => labelVariable(label, metric)),
      ],
    },
    panels,
  };
}

interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

function heatmapPanel(panel: HeatmapPanel, matchers: Record<string, Matcher>, id: number, gridPos: GridPos, title = panel.title): object {
  return {
    id,
    type: 'heatmap',
    title,
    description: panel.description,
    datasource: DATASOURCE,
    gridPos,
    targets: [
      { refId: 'A', datasource: DATASOURCE, expr: bucketRateQuery(panel, matchers, RATE_INTERVAL), format: 'heatmap', legendFormat: '{{le}}' },
    ],
    options: {
      calculate: false,
      cellGap: 1,
      color: { mode: 'scheme', scheme: 'Spectral', steps: 64, exponent: 0.5 },
      yAxis: { axisPlacement: 'left', unit: panel.unit },
      rowsFrame: { layout: 'le' },
      tooltip: { mode: 'single', yHistogram: true },
      legend: { show: true },
    },
    fieldConfig: {
      defaults: { custom: { scaleDistribution: panel.yScale === 'log2' ? { type: 'log', log: 2 } : { type: 'linear' } } },
      overrides: [],
    },
  };
}

function quantilePanel(panel: HeatmapPanel, matchers: Record<string, Matcher>, id: number, y: number): object {
  return {
    id,
    type: 'timeseries',
    title: `${panel.title} percentiles`,
    datasource: DATASOURCE,
    gridPos: { x: FULL_WIDTH * (2 / 3), y, w: FULL_WIDTH / 3, h: PANEL_HEIGHT },
    targets: panel.quantiles.map((q, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: DATASOURCE,
      expr: quantileQuery(panel, q, matchers, RATE_INTERVAL),
      legendFormat: `p${q * 100}`,
    })),
    fieldConfig: {
      defaults: {
        unit: panel.unit,
        custom: { scaleDistribution: panel.yScale === 'log2' ? { type: 'log', log: 2 } : { type: 'linear' } },
      },
      overrides: [],
    },
  };
}

/**
 * A collapsed row holding the heatmap repeated once per CPU the `cpu` variable selects: inside each copy
 * `$cpu` is that one CPU, so the summed query draws it alone.
 */
function perCpuRow(panel: HeatmapPanel, matchers: Record<string, Matcher>, id: number, y: number): object {
  const width = FULL_WIDTH / CPUS_PER_LINE;
  return {
    id,
    type: 'row',
    title: `${panel.title} per CPU`,
    collapsed: true,
    gridPos: { x: 0, y, w: FULL_WIDTH, h: 1 },
    panels: [
      {
        ...heatmapPanel(panel, matchers, id + 1, { x: 0, y: y + 1, w: width, h: PANEL_HEIGHT }, `${panel.title} on CPU $${CPU_LABEL}`),
        repeat: CPU_LABEL,
        repeatDirection: 'h',
        maxPerRow: CPUS_PER_LINE,
      },
    ],
  };
}

/** The gauge's own values: each series as it is, the busiest few at each instant. */
function gaugePanel(panel: GaugePanel, matchers: Record<string, Matcher>, id: number, y: number): object {
  // Not summed over hosts, so the host tells series apart as much as the gauge's own labels do.
  const legend = [INSTANCE_LABEL, ...panel.labels].map((label) => `{{${label}}}`).join(' ');
  return linesPanel(panel, gaugeQuery(panel, matchers), legend, panel.unit, id, y);
}

function ratePanel(panel: RatePanel, matchers: Record<string, Matcher>, id: number, y: number): object {
  const legend = panel.labels.map((label) => `{{${label}}}`).join(' ') || 'total';
  return linesPanel(panel, counterRateQuery(panel, matchers, RATE_INTERVAL), legend, 'ops', id, y);
}

function linesPanel(panel: RatePanel | GaugePanel, expr: string, legendFormat: string, unit: string, id: number, y: number): object {
  return {
    id,
    type: 'timeseries',
    title: panel.title,
    description: panel.description,
    datasource: DATASOURCE,
    gridPos: { x: 0, y, w: FULL_WIDTH, h: PANEL_HEIGHT },
    targets: [{ refId: 'A', datasource: DATASOURCE, expr: `topk(${panel.topSeries}, ${expr})`, legendFormat }],
    fieldConfig: { defaults: { unit }, overrides: [] },
  };
}

/** Every label becomes a multi-value dashboard variable; panels whose metric has it filter on it. */
function templateMatchers(labels: readonly string[]): Record<string, Matcher> {
  return Object.fromEntries([INSTANCE_LABEL, ...labels].map((label) => [label, { op: '=~', value: `$${label}` }]));
}

function uniqueLabels(panels: readonly Panel[]): { label: string; metric: string }[] {
  const seen = new Map<string, string>();
  for (const panel of panels) {
    const metric = panel.kind === 'heatmap' ? `${panel.metric}_bucket` : panel.metric;
    for (const label of [INSTANCE_LABEL, ...panel.labels]) if (!seen.has(label)) seen.set(label, metric);
  }
  return [...seen].map(([label, metric]) => ({ label, metric }));
}

function labelVariable(label: string, metric: string): object {
  const query = `label_values(${metric}, ${label})`;
  return {
    name: label,
    label,
    type: 'query',
    datasource: DATASOURCE,
    definition: query,
    query: { query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: '.*',
    current: { selected: true, text: ['All'], value: ['$__all'] },
    sort: label === CPU_LABEL ? SORT_NUMERICAL : SORT_ALPHABETICAL,
  };
}
