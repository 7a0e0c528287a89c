// The dashboard page: reads the view from the URL, finds its data source (the exporter's history, the
// Prometheus the exporter points at, or one typed by the user), and builds a panel per metric.
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { buildDashboards, type DashboardConfigInfo, type Panel } from '@ebpf-exporter/dashboard-model';
import { getJson, type DataSource } from './data-source';
import { HistorySource } from './history-source';
import { PanelView } from './panel-view';
import { discoverConfigs, PrometheusSource } from './prometheus-source';
import { queryRange } from './time-range';
import { formatViewState, parseViewState, RANGE_CHOICES, REFRESH_CHOICES, type ViewState } from './view-state';

/** What the exporter's plugin answers at `api/info` (libs/dashboard-server). */
interface ExporterInfo {
  configs: DashboardConfigInfo[];
  source: { kind: 'history'; windowSeconds: number; resolutionSeconds: number } | { kind: 'prometheus'; url: string };
}

let state: ViewState = parseViewState(location.hash);
let panels: { view: PanelView; panel: Panel }[] = [];
let source: DataSource | undefined;
let refreshTimer: ReturnType<typeof setInterval> | undefined;
let writtenHash = '';
/** Bumped by every start(): a start that awaited while a newer one began leaves the page to it. */
let generation = 0;

const controls = document.querySelector<HTMLElement>('#controls') as HTMLElement;
const content = document.querySelector<HTMLElement>('#panels') as HTMLElement;
const status = document.querySelector<HTMLElement>('#status') as HTMLElement;

window.addEventListener('hashchange', () => {
  if (location.hash === writtenHash) return;
  state = parseViewState(location.hash);
  void start();
});
void start();

async function start(): Promise<void> {
  const current = ++generation;
  delete document.body.dataset.ready;
  document.documentElement.dataset.theme = state.theme;
  stopPanels();
  const exporter = await getJson<ExporterInfo>('api/info').catch(() => undefined);
  if (current !== generation) return;
  let configs = exporter?.configs ?? [];
  let historyWindow: number | undefined;
  try {
    if (state.prometheus) {
      source = new PrometheusSource(state.prometheus.replace(/\/+$/, ''));
      if (!exporter) configs = await discoverConfigs(state.prometheus.replace(/\/+$/, ''));
    } else if (exporter?.source.kind === 'prometheus') {
      source = new PrometheusSource(exporter.source.url, 'the exporter’s --dashboard.prometheus-url');
    } else if (exporter?.source.kind === 'history') {
      source = new HistorySource('api', exporter.source.resolutionSeconds, exporter.source.windowSeconds);
      historyWindow = exporter.source.windowSeconds;
    } else {
      source = undefined;
    }
  } catch (error) {
    source = undefined;
    status.textContent = `Cannot read metrics from ${state.prometheus}: ${(error as Error).message}`;
  }
  if (current !== generation) return;
  renderControls(configs, exporter !== undefined, historyWindow);
  if (!source) {
    if (!state.prometheus) status.textContent = 'Not served by the exporter: enter the URL of a Prometheus-compatible server above.';
    return;
  }
  status.textContent = `Data: ${source.description}`;
  const dashboards = buildDashboards(configs).filter((d) => !state.config || d.config === state.config);
  for (const dashboard of dashboards) {
    const heading = document.createElement('h2');
    heading.textContent = dashboard.config;
    content.append(heading);
    for (const panel of dashboard.panels) {
      const view = new PanelView(panel, {
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
      });
      content.append(view.element);
      panels.push({ view, panel });
    }
  }
  if (panels.length === 0) status.textContent += ' — no histograms, counters or gauges in the loaded configs.';
  await refreshAll();
  if (current !== generation) return;
  document.body.dataset.ready = 'true';
  if (state.refresh > 0) refreshTimer = setInterval(() => void refreshAll(), state.refresh * 1000);
}

function stopPanels(): void {
  clearInterval(refreshTimer);
  for (const { view } of panels) view.destroy();
  panels = [];
  content.replaceChildren();
}

async function refreshAll(): Promise<void> {
  await Promise.all(panels.map(({ view, panel }) => refreshPanel(view, panel)));
}

async function refreshPanel(view: PanelView, panel: Panel): Promise<void> {
  if (!source) return;
  await view.refresh({
    source,
    range: queryRange(Date.now() / 1000, state.range, source.sampleInterval),
    colorMode: state.color,
    filters: state.filters[panel.id] ?? {},
    thresholds: state.thresholds[panel.id] ?? [],
    cpuView: state.cpuView[panel.id] ?? 'summed',
  });
}

function saveState(): void {
  writtenHash = formatViewState(state);
  history.replaceState(null, '', writtenHash);
}

/** Changes that alter every panel rebuild the page from the new state. */
function update(change: Partial<ViewState>): void {
  state = { ...state, ...change };
  saveState();
  void start();
}

function renderControls(configs: readonly DashboardConfigInfo[], fromExporter: boolean, historyWindow: number | undefined): void {
  const ranges = RANGE_CHOICES.filter((r) => historyWindow === undefined || r <= historyWindow || r === RANGE_CHOICES[0]);
  controls.replaceChildren(
    select('config', [['', 'all configs'], ...configs.map((c): [string, string] => [c.name, c.name])], state.config, (v) => update({ config: v })),
    select('range', ranges.map((r): [string, string] => [String(r), `last ${duration(r)}`]), String(state.range), (v) => update({ range: Number(v) })),
    select(
      'refresh',
      REFRESH_CHOICES.map((r): [string, string] => [String(r), r === 0 ? 'refresh off' : `every ${duration(r)}`]),
      String(state.refresh),
      (v) => update({ refresh: Number(v) }),
    ),
    select('color', [['count', 'colour: count'], ['percent', 'colour: % of time slice']], state.color, (v) => update({ color: v as ViewState['color'] })),
    select('theme', [['light', 'light'], ['dark', 'dark']], state.theme, (v) => update({ theme: v as ViewState['theme'] })),
    prometheusInput(),
    ...(fromExporter ? [grafanaLinks(configs)] : []),
  );
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

function grafanaLinks(configs: readonly DashboardConfigInfo[]): HTMLElement {
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

function duration(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
