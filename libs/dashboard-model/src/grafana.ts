// A Grafana dashboard per config, generated from the same panel model as the bundled app, for users who
// already run Grafana. Grafana cannot overlay percentiles or thresholds on its heatmap, so each heatmap
// gets a percentile time series beside it.
import type { Dashboard, HeatmapPanel, Panel, RatePanel } from './panels';
import { bucketRateQuery, counterRateQuery, quantileQuery, type Matcher } from './promql';

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;
const RATE_INTERVAL = '$__rate_interval';
const FULL_WIDTH = 24;
const PANEL_HEIGHT = 9;
/** Prometheus adds it to every scraped series; with several exporters it picks the host. */
const INSTANCE_LABEL = 'instance';

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
      panels.push(heatmapPanel(panel, matchers, nextId++, y));
      panels.push(quantilePanel(panel, matchers, nextId++, y));
    } else {
      panels.push(ratePanel(panel, matchers, nextId++, y));
    }
    y += PANEL_HEIGHT;
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

function heatmapPanel(panel: HeatmapPanel, matchers: Record<string, Matcher>, id: number, y: number): object {
  return {
    id,
    type: 'heatmap',
    title: panel.title,
    description: panel.description,
    datasource: DATASOURCE,
    gridPos: { x: 0, y, w: FULL_WIDTH * (2 / 3), h: PANEL_HEIGHT },
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

function ratePanel(panel: RatePanel, matchers: Record<string, Matcher>, id: number, y: number): object {
  return {
    id,
    type: 'timeseries',
    title: panel.title,
    description: panel.description,
    datasource: DATASOURCE,
    gridPos: { x: 0, y, w: FULL_WIDTH, h: PANEL_HEIGHT },
    targets: [
      {
        refId: 'A',
        datasource: DATASOURCE,
        expr: `topk(${panel.topSeries}, ${counterRateQuery(panel, matchers, RATE_INTERVAL)})`,
        legendFormat: panel.labels.map((label) => `{{${label}}}`).join(' ') || 'total',
      },
    ],
    fieldConfig: { defaults: { unit: 'ops' }, overrides: [] },
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
    sort: 1,
  };
}
