// Everything the user chose, kept in the URL so a view can be bookmarked and shared. The page writes it
// into the fragment; it reads the query string too (`/dashboard/?range=15m`), the fragment winning, and
// any value it does not understand falls back to the default without an error.
import type { CpuView, LabelFilters } from '@ebpf-exporter/dashboard-model';
import { parseDuration } from './duration';
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
  /** What a line panel's series search box holds, by panel id. */
  search: Record<string, string>;
}

export const RANGE_CHOICES = [300, 900, 3600, 6 * 3600, 24 * 3600] as const;
export const REFRESH_CHOICES = [0, 5, 10, 30, 60] as const;
/** Longer ranges are not a typo this page can serve: no history or Prometheus query would answer them. */
const MAX_RANGE = 366 * 86400;

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
  search: {},
};

/** `location.search` and `location.hash`: a key in the fragment overrides the same key in the query. */
export function parseViewState(fragment: string, query = ''): ViewState {
  const params = new URLSearchParams(query.replace(/^\?/, ''));
  for (const [key, value] of new URLSearchParams(fragment.replace(/^#/, ''))) params.set(key, value);
  const state: ViewState = { ...DEFAULT_VIEW, filters: {}, thresholds: {}, cpuView: {}, search: {} };
  const range = parseDuration(params.get('range') ?? '');
  if (range !== undefined && range >= 1 && range <= MAX_RANGE) state.range = range;
  const refreshText = params.get('refresh');
  const refresh = refreshText === 'off' ? 0 : parseDuration(refreshText ?? '');
  // Below a second the page would do nothing but refresh.
  if (refresh !== undefined && (refresh === 0 || (refresh >= 1 && refresh <= 86400))) state.refresh = refresh;
  if (params.get('theme') === 'dark') state.theme = 'dark';
  if (params.get('color') === 'percent') state.color = 'percent';
  state.prometheus = params.get('prometheus') ?? '';
  state.config = params.get('config') ?? '';
  for (const [key, value] of params) {
    // Panel ids contain dots (`config.metric`), label names never do: the label is after the last dot.
    const filter = /^f\.(.+)\.([a-zA-Z_][a-zA-Z0-9_]*)$/.exec(key);
    if (filter && value) state.filters[filter[1] as string] = { ...state.filters[filter[1] as string], [filter[2] as string]: value };
    const threshold = /^t\.(.+)$/.exec(key);
    if (threshold) {
      const values = value.split(',').map(Number).filter((v) => Number.isFinite(v) && v > 0);
      if (values.length > 0) state.thresholds[threshold[1] as string] = values;
    }
    const cpuView = /^c\.(.+)$/.exec(key);
    if (cpuView && value === 'per-cpu') state.cpuView[cpuView[1] as string] = value;
    const search = /^s\.(.+)$/.exec(key);
    if (search && value.trim()) state.search[search[1] as string] = value;
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
  for (const [panel, text] of Object.entries(state.search)) if (text.trim()) params.set(`s.${panel}`, text);
  return `#${params}`;
}
