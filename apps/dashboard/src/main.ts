// The page: reads the view from the URL, finds its data source (the exporter's history, the Prometheus the
// exporter points at, or one typed by the user), and builds a panel per metric. Each refresh asks the
// exporter again which configs run (a reload adds and removes them) and adds or drops panels to match,
// leaving the others, and what the user set on them, as they are.
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { buildDashboards, type Dashboard, type DashboardConfigInfo, type Panel } from '@ebpf-exporter/dashboard-model';
import { getJson, type DataSource } from './data-source';
import { formatDuration } from './duration';
import type { Sampling, SampleTimes } from './empty-panel';
import { HistorySource } from './history-source';
import { diffPanels, isEmptyDiff } from './panel-diff';
import { PanelView } from './panel-view';
import { discoverConfigs, PrometheusSource } from './prometheus-source';
import { timeAxis } from './time-axis';
import { queryRange } from './time-range';
import { formatViewState, parseViewState, RANGE_CHOICES, REFRESH_CHOICES, type ViewState } from './view-state';

/** What the exporter's plugin answers at `api/info` (libs/dashboard-server's DashboardInfo). */
interface ExporterInfo {
  configs: DashboardConfigInfo[];
  source:
    | { kind: 'history'; windowSeconds: number; resolutionSeconds: number; samples: SampleTimes | null }
    | { kind: 'prometheus'; url: string };
}

/** Where style.css lays panels out for a phone; there a line chart draws its busiest 5 series. */
const NARROW_SCREEN = '(max-width: 600px)';
const PHONE_SERIES = 5;

let state: ViewState = parseViewState(location.hash, location.search);
const panels = new Map<string, { view: PanelView; panel: Panel }>();
let configs: DashboardConfigInfo[] = [];
let exporter: ExporterInfo | undefined;
let source: DataSource | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let writtenHash = '';
/** Prometheus's first sample of the exporters in the range, asked at every refresh; undefined for the history. */
let prometheusFirst: number | undefined;
/** Bumped by every start(): a start that awaited while a newer one began leaves the page to it. */
let generation = 0;

const controls = document.querySelector<HTMLElement>('#controls') as HTMLElement;
const content = document.querySelector<HTMLElement>('#panels') as HTMLElement;
const status = document.querySelector<HTMLElement>('#status') as HTMLElement;

window.addEventListener('hashchange', () => {
  if (location.hash === writtenHash) return;
  state = parseViewState(location.hash, location.search);
  void start();
});
void start();

async function start(): Promise<void> {
  const current = ++generation;
  delete document.body.dataset.ready;
  document.documentElement.dataset.theme = state.theme;
  stopPanels();
  exporter = await getJson<ExporterInfo>('api/info').catch(() => undefined);
  if (current !== generation) return;
  configs = exporter?.configs ?? [];
  try {
    if (state.prometheus) {
      source = new PrometheusSource(state.prometheus.replace(/\/+$/, ''));
      if (!exporter) configs = await discoverConfigs(state.prometheus.replace(/\/+$/, ''));
    } else if (exporter?.source.kind === 'prometheus') {
      source = new PrometheusSource(exporter.source.url, 'the exporter’s --dashboard.prometheus-url');
    } else if (exporter?.source.kind === 'history') {
      source = new HistorySource('api', exporter.source.resolutionSeconds, exporter.source.windowSeconds);
    } else {
      source = undefined;
    }
  } catch (error) {
    source = undefined;
    status.textContent = `Cannot read metrics from ${state.prometheus}: ${(error as Error).message}`;
  }
  if (current !== generation) return;
  renderControls();
  if (!source) {
    if (!state.prometheus) status.textContent = 'Not served by the exporter: enter the URL of a Prometheus-compatible server above.';
    return;
  }
  layoutPanels(shownDashboards());
  showStatus();
  await refreshAll();
  if (current !== generation) return;
  document.body.dataset.ready = 'true';
  scheduleRefresh(current);
}

/** The next refresh is timed from the end of this one, so a slow source never has refreshes pile up. */
function scheduleRefresh(current: number): void {
  if (state.refresh <= 0) return;
  refreshTimer = setTimeout(async () => {
    await syncConfigs();
    if (current !== generation) return;
    await refreshAll();
    if (current === generation) scheduleRefresh(current);
  }, state.refresh * 1000);
}

/** Asks the exporter again: its configs (a reload adds and removes them) and its history's sample times. */
async function syncConfigs(): Promise<void> {
  // Without the exporter the configs came from a typed Prometheus, which a reload does not change.
  if (!exporter) return;
  const info = await getJson<ExporterInfo>('api/info').catch(() => undefined);
  if (!info) return;
  exporter = info;
  const before = configs.map((c) => c.name).join('\n');
  configs = info.configs;
  if (configs.map((c) => c.name).join('\n') !== before) renderControls();
  const current = new Map([...panels].map(([id, { panel }]) => [id, panel]));
  const dashboards = shownDashboards();
  if (!isEmptyDiff(diffPanels(current, dashboards))) layoutPanels(dashboards);
  showStatus();
}

function shownDashboards(): Dashboard[] {
  const config = effectiveConfig();
  return buildDashboards(configs).filter((d) => !config || d.config === config);
}

/** A config asked for in the URL but not loaded (a typo, or removed by a reload) falls back to all. */
function effectiveConfig(): string {
  return configs.some((c) => c.name === state.config) ? state.config : '';
}

/**
 * Puts a heading per config and its panels on the page in config order. A panel already shown with the same
 * definition is moved, not rebuilt (its chart, menus and search box stay); new and changed ones are built
 * and drawn; those of configs no longer loaded are destroyed.
 */
function layoutPanels(dashboards: readonly Dashboard[]): void {
  const diff = diffPanels(new Map([...panels].map(([id, { panel }]) => [id, panel])), dashboards);
  for (const id of [...diff.removed, ...diff.changed.map((p) => p.id)]) {
    panels.get(id)?.view.destroy();
    panels.delete(id);
  }
  const fresh: Panel[] = [];
  const children: HTMLElement[] = [];
  for (const dashboard of dashboards) {
    const heading = document.createElement('h2');
    heading.textContent = dashboard.config;
    children.push(heading);
    for (const panel of dashboard.panels) {
      let entry = panels.get(panel.id);
      if (!entry) {
        entry = { view: createView(panel), panel };
        panels.set(panel.id, entry);
        fresh.push(panel);
      }
      children.push(entry.view.element);
    }
  }
  content.replaceChildren(...children);
  if (panels.size === 0) {
    const none = document.createElement('p');
    none.className = 'no-panels';
    none.textContent = 'No histograms, counters or gauges in the loaded configs.';
    content.append(none);
  }
  for (const panel of fresh) {
    const entry = panels.get(panel.id);
    // Panels added while the page runs draw at once; those of a start wait for its refreshAll.
    if (entry && document.body.dataset.ready === 'true') void refreshPanel(entry.view, panel);
  }
}

function createView(panel: Panel): PanelView {
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  const view: PanelView = new PanelView(panel, {
    onFiltersChange: (filters, cpuView) => {
      state.filters[panel.id] = filters;
      state.cpuView[panel.id] = cpuView;
      saveState();
      void refreshPanel(view, panel);
    },
    onThresholdsChange: (thresholds) => {
      state.thresholds[panel.id] = thresholds;
      saveState();
      void refreshPanel(view, panel);
    },
    onSearchChange: (search) => {
      state.search[panel.id] = search;
      saveState();
      // Typing asks the source once it pauses, not at every key.
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => void refreshPanel(view, panel), 250);
    },
  });
  return view;
}

function stopPanels(): void {
  clearTimeout(refreshTimer);
  for (const { view } of panels.values()) view.destroy();
  panels.clear();
  content.replaceChildren();
}

async function refreshAll(): Promise<void> {
  prometheusFirst = source instanceof PrometheusSource ? await source.firstSample(queryRange(Date.now() / 1000, state.range, source.sampleInterval)) : undefined;
  showStatus();
  await Promise.all([...panels.values()].map(({ view, panel }) => refreshPanel(view, panel)));
}

function historySamples(): SampleTimes | null | undefined {
  return !state.prometheus && exporter?.source.kind === 'history' ? exporter.source.samples : undefined;
}

function sampling(): Sampling {
  if (!state.prometheus && exporter?.source.kind === 'history') {
    return { kind: 'history', resolution: exporter.source.resolutionSeconds, samples: exporter.source.samples };
  }
  return { kind: 'prometheus', refresh: state.refresh };
}

async function refreshPanel(view: PanelView, panel: Panel): Promise<void> {
  if (!source) return;
  const now = Date.now() / 1000;
  const range = queryRange(now, state.range, source.sampleInterval);
  const samples = historySamples();
  await view.refresh({
    source,
    range,
    // Before the history's first sample the axis shows just the newest step; Prometheus's starts at its first.
    axis: timeAxis(range, samples === undefined ? prometheusFirst : (samples?.oldest ?? now)),
    sampling: sampling(),
    colorMode: state.color,
    filters: state.filters[panel.id] ?? {},
    thresholds: state.thresholds[panel.id] ?? [],
    cpuView: state.cpuView[panel.id] ?? 'summed',
    search: state.search[panel.id] ?? '',
    maxSeries: matchMedia(NARROW_SCREEN).matches ? PHONE_SERIES : Number.POSITIVE_INFINITY,
  });
}

function showStatus(): void {
  if (!source) return;
  let text = `Data: ${source.description}`;
  const samples = historySamples();
  if (samples) {
    const since = new Date(samples.first * 1000).toLocaleTimeString();
    const held = samples.newest - samples.oldest;
    text += ` — collecting since ${since}`;
    if (held < state.range) text += heldSoFar(held);
  } else if (samples === null) {
    text += ' — no sample taken yet';
  } else if (prometheusFirst !== undefined && Date.now() / 1000 - prometheusFirst < state.range) {
    text += ` — Prometheus has samples since ${new Date(prometheusFirst * 1000).toLocaleTimeString()}${heldSoFar(Date.now() / 1000 - prometheusFirst)}`;
  }
  if (state.config && !effectiveConfig()) text += ` — no config named “${state.config}” is loaded: showing all`;
  status.textContent = text;
}

/** Said when the source holds less than the range: the axis starts at its first sample. */
function heldSoFar(held: number): string {
  return `; the charts show the ${formatDuration(Math.max(0, Math.round(held)))} held so far of the last ${formatDuration(state.range)}`;
}

function saveState(): void {
  writtenHash = formatViewState(state);
  // The query string of the link the page was opened with is folded into the fragment, which wins anyway.
  history.replaceState(null, '', `${location.pathname}${writtenHash}`);
}

/** Changes that alter every panel rebuild the page from the new state. */
function update(change: Partial<ViewState>): void {
  state = { ...state, ...change };
  saveState();
  void start();
}

function renderControls(): void {
  const historyWindow = exporter?.source.kind === 'history' && !state.prometheus ? exporter.source.windowSeconds : undefined;
  const ranges = withCurrent(
    RANGE_CHOICES.filter((r) => historyWindow === undefined || r <= historyWindow || r === RANGE_CHOICES[0]),
    state.range,
  );
  controls.replaceChildren(
    select('config', [['', 'all configs'], ...configs.map((c): [string, string] => [c.name, c.name])], effectiveConfig(), (v) => update({ config: v })),
    select('range', ranges.map((r): [string, string] => [String(r), `last ${formatDuration(r)}`]), String(state.range), (v) => update({ range: Number(v) })),
    select(
      'refresh',
      withCurrent(REFRESH_CHOICES, state.refresh).map((r): [string, string] => [String(r), r === 0 ? 'refresh off' : `every ${formatDuration(r)}`]),
      String(state.refresh),
      (v) => update({ refresh: Number(v) }),
    ),
    select('color', [['count', 'colour: count'], ['percent', 'colour: % of time slice']], state.color, (v) => update({ color: v as ViewState['color'] })),
    select('theme', [['light', 'light'], ['dark', 'dark']], state.theme, (v) => update({ theme: v as ViewState['theme'] })),
    prometheusInput(),
    ...(exporter ? [grafanaLinks()] : []),
  );
}

/** The menu's choices plus a value from a link that is not among them (`range=120`), in order. */
function withCurrent(choices: readonly number[], current: number): number[] {
  return [...new Set([...choices, current])].sort((a, b) => a - b);
}

function select(name: string, options: [string, string][], value: string, onChange: (value: string) => void): HTMLSelectElement {
  const element = document.createElement('select');
  element.name = name;
  element.append(...options.map(([v, label]) => new Option(label, v, false, v === value)));
  element.addEventListener('change', () => onChange(element.value));
  return element;
}

function prometheusInput(): HTMLElement {
  const form = document.createElement('form');
  form.className = 'prometheus';
  const input = document.createElement('input');
  input.name = 'prometheus';
  input.type = 'url';
  input.placeholder = 'Prometheus URL (empty: exporter)';
  input.value = state.prometheus;
  form.append(input);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    update({ prometheus: input.value.trim() });
  });
  return form;
}

function grafanaLinks(): HTMLElement {
  const details = document.createElement('details');
  details.className = 'grafana';
  const summary = document.createElement('summary');
  summary.textContent = 'Grafana JSON';
  details.append(summary);
  for (const config of configs) {
    const link = document.createElement('a');
    link.href = `api/grafana/${encodeURIComponent(config.name)}.json`;
    link.textContent = config.name;
    link.download = `${config.name}.json`;
    details.append(link);
  }
  return details;
}
