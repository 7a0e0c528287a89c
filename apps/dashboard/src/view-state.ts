// Everything the user chose, kept in the URL's fragment so a view can be bookmarked and shared.
import type { CpuView, LabelFilters } from '@ebpf-exporter/dashboard-model';
import type { ColorMode } from './heatmap-cells';

export interface ViewState {
  /** Seconds of history shown, ending now. */
  range: number;
  /** Seconds between refreshes; 0 is off. */
  refresh: number;
  theme: 'light' | 'dark';
  color: ColorMode;
  /** Prometheus-compatible server typed by the user; empty means "what the exporter serves". */
  prometheus: string;
  /** Config whose panels are shown; empty shows all. */
  config: string;
  filters: Record<string, LabelFilters>;
  thresholds: Record<string, number[]>;
  /** Per-CPU heatmaps drawn one per CPU, by panel id; the others are summed over CPUs. */
  cpuView: Record<string, CpuView>;
}

export const RANGE_CHOICES = [300, 900, 3600, 6 * 3600, 24 * 3600] as const;
export const REFRESH_CHOICES = [0, 5, 10, 30, 60] as const;

export const DEFAULT_VIEW: ViewState = {
  range: 900,
  refresh: 10,
  theme: 'light',
  color: 'count',
  prometheus: '',
  config: '',
  filters: {},
  thresholds: {},
  cpuView: {},
};

export function parseViewState(fragment: string): ViewState {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  const state: ViewState = { ...DEFAULT_VIEW, filters: {}, thresholds: {}, cpuView: {} };
  const range = Number(params.get('range'));
  if (range > 0) state.range = range;
  const refresh = params.get('refresh');
  if (refresh !== null && Number(refresh) >= 0) state.refresh = Number(refresh);
  if (params.get('theme') === 'dark') state.theme = 'dark';
  if (params.get('color') === 'percent') state.color = 'percent';
  state.prometheus = params.get('prometheus') ?? '';
  state.config = params.get('config') ?? '';
  for (const [key, value] of params) {
    // Panel ids contain dots (`config.metric`), label names never do: the label is after the last dot.
    const filter = /^f\.(.+)\.([^.]+)$/.exec(key);
    if (filter) state.filters[filter[1] as string] = { ...state.filters[filter[1] as string], [filter[2] as string]: value };
    const threshold = /^t\.(.+)$/.exec(key);
    if (threshold) {
      const values = value.split(',').map(Number).filter(Number.isFinite);
      if (values.length > 0) state.thresholds[threshold[1] as string] = values;
    }
    const cpuView = /^c\.(.+)$/.exec(key);
    if (cpuView && value === 'per-cpu') state.cpuView[cpuView[1] as string] = value;
  }
  return state;
}

export function formatViewState(state: ViewState): string {
  const params = new URLSearchParams();
  params.set('range', String(state.range));
  params.set('refresh', String(state.refresh));
  if (state.theme !== DEFAULT_VIEW.theme) params.set('theme', state.theme);
  if (state.color !== DEFAULT_VIEW.color) params.set('color', state.color);
  if (state.prometheus) params.set('prometheus', state.prometheus);
  if (state.config) params.set('config', state.config);
  for (const [panel, filters] of Object.entries(state.filters)) {
    for (const [label, value] of Object.entries(filters)) params.set(`f.${panel}.${label}`, value);
  }
  for (const [panel, values] of Object.entries(state.thresholds)) {
    if (values.length > 0) params.set(`t.${panel}`, values.join(','));
  }
  // Summed is the default: only the panels drawn per CPU take room in the URL.
  for (const [panel, view] of Object.entries(state.cpuView)) if (view === 'per-cpu') params.set(`c.${panel}`, view);
  return `#${params}`;
}
