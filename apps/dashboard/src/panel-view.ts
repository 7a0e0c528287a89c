// One panel on the page: title, per-panel label filters and thresholds, and its chart (or, for a
// per-CPU histogram drawn per CPU, one heatmap per CPU).
import { CPU_LABEL, type CpuView, type GaugePanel, type HeatmapPanel, type LabelFilters, type Panel, type RatePanel } from '@ebpf-exporter/dashboard-model';
import type { DataSource, HeatmapData } from './data-source';
import { emptyMessage, type Sampling } from './empty-panel';
import { HeatmapChart } from './heatmap-chart';
import { heatmapCells, largestCell, quantileLines, type ColorMode } from './heatmap-cells';
import { RateChart } from './rate-chart';
import { legendSeries } from './series-legend';
import { heatmapColumns, type TimeAxis } from './time-axis';
import type { QueryRange } from './time-range';

export interface PanelContext {
  source: DataSource;
  range: QueryRange;
  /** The part of the range drawn: from the source's oldest sample when it is younger than the range. */
  axis: TimeAxis;
  sampling: Sampling;
  colorMode: ColorMode;
  filters: LabelFilters;
  thresholds: number[];
  cpuView: CpuView;
  search: string;
  /** Lines drawn at most (the rest summed into "other"): fewer on a phone, where each takes a legend row. */
  maxSeries: number;
}

export interface PanelCallbacks {
  /** The label selects changed; the `cpu` one of a per-CPU heatmap also picks its view. */
  onFiltersChange(filters: LabelFilters, cpuView: CpuView): void;
  onThresholdsChange(thresholds: number[]): void;
  onSearchChange(search: string): void;
}

/**
 * Series asked of the source for a line panel: all of them in practice, so the page itself picks the top
 * ones among those the search matches and sums the rest (the sources rank by mean, busiest first).
 */
const SERIES_ASKED = 1000;

/** The `cpu` select's choice that draws one heatmap per CPU; not a label value (CPU indexes are numbers). */
const EACH_CPU = 'each';

export class PanelView {
  readonly element: HTMLElement;
  private readonly chartElement: HTMLElement;
  private readonly errorElement: HTMLElement;
  private readonly filterElement: HTMLElement;
  /** Over the plot when it has nothing to draw: says why and when data is due. */
  private readonly emptyElement: HTMLElement;
  /** Under a line chart: how many series there are and how many the "other" line sums. */
  private readonly summaryElement: HTMLElement;
  /** The panel's single chart: a line chart, or the heatmap summed over CPUs. */
  private chart: HeatmapChart | RateChart | undefined;
  /** Per CPU: its heatmap and the element holding it, when drawn one per CPU. */
  private readonly cpuCharts = new Map<string, { element: HTMLElement; chart: HeatmapChart }>();
  private filtersLoaded = false;

  constructor(
    private readonly panel: Panel,
    private readonly callbacks: PanelCallbacks,
  ) {
    this.element = document.createElement('section');
    this.element.className = `panel panel-${panel.kind}`;
    this.element.dataset.panelId = panel.id;
    const header = document.createElement('header');
    const title = document.createElement('h3');
    title.textContent = panel.title;
    title.title = panel.description;
    const help = document.createElement('p');
    help.className = 'help';
    help.textContent = panel.description;
    this.filterElement = document.createElement('div');
    this.filterElement.className = 'filters';
    header.append(title, help, this.filterElement);
    this.errorElement = document.createElement('p');
    this.errorElement.className = 'error';
    this.errorElement.hidden = true;
    this.chartElement = document.createElement('div');
    this.chartElement.className = 'chart';
    this.emptyElement = document.createElement('p');
    this.emptyElement.className = 'empty';
    this.emptyElement.hidden = true;
    this.chartElement.append(this.emptyElement);
    this.summaryElement = document.createElement('p');
    this.summaryElement.className = 'series-summary';
    this.summaryElement.hidden = true;
    this.element.append(header, this.errorElement, this.chartElement, this.summaryElement);
  }

  async refresh(context: PanelContext): Promise<void> {
    try {
      if (!this.filtersLoaded) await this.buildControls(context);
      const hasData = this.panel.kind === 'heatmap' ? await this.refreshHeatmap(this.panel, context) : await this.refreshLines(this.panel, context);
      this.showEmpty(hasData, context);
      this.errorElement.hidden = true;
      this.element.dataset.state = 'ready';
    } catch (error) {
      this.errorElement.textContent = (error as Error).message;
      this.errorElement.hidden = false;
      this.element.dataset.state = 'error';
    }
  }

  destroy(): void {
    this.chart?.destroy();
    for (const { chart } of this.cpuCharts.values()) chart.destroy();
  }

  private showEmpty(hasData: boolean, context: PanelContext): void {
    this.emptyElement.hidden = hasData;
    this.element.dataset.empty = String(!hasData);
    if (!hasData) this.emptyElement.textContent = emptyMessage(this.panel.kind, context.sampling, Date.now() / 1000, clock);
  }

  /** Whether any cell of the drawn columns holds observations. */
  private async refreshHeatmap(panel: HeatmapPanel, context: PanelContext): Promise<boolean> {
    if (panel.perCpu && context.cpuView === 'per-cpu') return this.refreshPerCpu(panel, context);
    const data = await context.source.heatmap(panel, context.filters, context.range);
    this.clearPerCpu();
    if (!this.chart) this.chart = new HeatmapChart(this.chartElement, panel);
    (this.chart as HeatmapChart).render(this.heatmapView(panel, data, context, largestCell(data.matrix)));
    return hasObservations(data, context);
  }

  /** One heatmap per CPU, coloured on one scale so the CPUs compare at a glance. */
  private async refreshPerCpu(panel: HeatmapPanel, context: PanelContext): Promise<boolean> {
    const heatmaps = await context.source.heatmapsPerCpu(panel, context.filters, context.range);
    this.chart?.destroy();
    this.chart = undefined;
    this.chartElement.querySelector(':scope > .tooltip')?.remove();
    this.chartElement.classList.add('per-cpu');
    const largest = Math.max(0, ...heatmaps.map((h) => largestCell(h.matrix)));
    const shown = new Set(heatmaps.map((h) => h.cpu));
    for (const [cpu, { element, chart }] of this.cpuCharts) {
      if (shown.has(cpu)) continue;
      chart.destroy();
      element.remove();
      this.cpuCharts.delete(cpu);
    }
    for (const heatmap of heatmaps) {
      let entry = this.cpuCharts.get(heatmap.cpu);
      if (!entry) {
        const element = document.createElement('figure');
        element.className = 'cpu-chart';
        element.dataset.cpu = heatmap.cpu;
        const caption = document.createElement('figcaption');
        caption.textContent = `CPU ${heatmap.cpu}`;
        const container = document.createElement('div');
        container.className = 'cpu-heatmap';
        element.append(caption, container);
        entry = { element, chart: new HeatmapChart(container, panel) };
        this.cpuCharts.set(heatmap.cpu, entry);
      }
      // Appending again keeps the figures in CPU order as CPUs come and go.
      this.chartElement.append(entry.element);
      entry.chart.render(this.heatmapView(panel, heatmap, context, largest));
    }
    this.chartElement.dataset.cpuHeatmaps = String(heatmaps.length);
    return heatmaps.some((heatmap) => hasObservations(heatmap, context));
  }

  private clearPerCpu(): void {
    for (const { element, chart } of this.cpuCharts.values()) {
      chart.destroy();
      element.remove();
    }
    this.cpuCharts.clear();
    this.chartElement.classList.remove('per-cpu');
    delete this.chartElement.dataset.cpuHeatmaps;
  }

  private heatmapView(panel: HeatmapPanel, data: HeatmapData, context: PanelContext, largest: number) {
    return {
      cells: heatmapCells(data.matrix, panel.yScale, context.colorMode, largest),
      quantiles: data.quantiles ?? quantileLines(data.matrix, panel.quantiles),
      thresholds: context.thresholds,
      colorMode: context.colorMode,
      step: context.range.step,
      axis: context.axis,
    };
  }

  /** Whether any drawn line has a value on the axis. */
  private async refreshLines(panel: RatePanel | GaugePanel, context: PanelContext): Promise<boolean> {
    const matrix =
      panel.kind === 'gauge'
        ? await context.source.gauges({ ...panel, topSeries: SERIES_ASKED }, context.filters, context.range)
        : await context.source.rates({ ...panel, topSeries: SERIES_ASKED }, context.filters, context.range);
    // Rates add up, so the counters' remainder is one "other" line; gauges' levels need not.
    const top = Math.min(panel.topSeries, context.maxSeries);
    const legend = legendSeries(matrix, top, context.search, panel.kind === 'rate');
    if (!this.chart) this.chart = new RateChart(this.chartElement, panel);
    (this.chart as RateChart).render(legend, context.axis);
    this.summaryElement.hidden = legend.total <= top;
    const matched = legend.matched === legend.total ? `${legend.total} series` : `${legend.matched} of ${legend.total} series match`;
    const folded = legend.folded > 0 ? `; the other ${legend.folded} are summed into one line` : '';
    this.summaryElement.textContent = `${matched}, the ${Math.min(top, legend.matched)} busiest drawn${folded}.`;
    const inAxis = legend.times.map((t) => t >= context.axis.start && t <= context.axis.end);
    return legend.series.some((s) => s.values.some((v, t) => v !== null && inAxis[t]));
  }

  private async buildControls(context: PanelContext): Promise<void> {
    const labels = [...context.source.sourceLabels, ...this.panel.labels];
    const values = labels.length > 0 ? await context.source.labelValues(this.panel) : {};
    const controls: HTMLElement[] = labels.map((label) => {
      const select = document.createElement('select');
      select.name = label;
      select.dataset.label = label;
      const selected = context.filters[label];
      const options = [...new Set([...(values[label] ?? []), ...(selected ? [selected] : [])])];
      if (label === CPU_LABEL) {
        options.sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
      } else {
        options.sort();
      }
      const perCpu = this.panel.kind === 'heatmap' && this.panel.perCpu && label === CPU_LABEL;
      select.append(new Option(perCpu ? `${label}: all (summed)` : `${label}: all`, ''));
      if (perCpu) select.append(new Option(`${label}: each (a heatmap per CPU)`, EACH_CPU, false, context.cpuView === 'per-cpu'));
      select.append(...options.map((v) => new Option(`${label}: ${v}`, v, false, v === selected)));
      select.addEventListener('change', () => this.callbacks.onFiltersChange(...this.selection()));
      return select;
    });
    if (this.panel.kind === 'heatmap') {
      const thresholds = document.createElement('input');
      thresholds.className = 'thresholds';
      thresholds.placeholder = `thresholds${this.panel.unit ? ` (${this.panel.unit})` : ''}, e.g. 0.001, 0.01`;
      thresholds.value = context.thresholds.join(', ');
      thresholds.addEventListener('change', () =>
        this.callbacks.onThresholdsChange(
          thresholds.value
            .split(',')
            .map((v) => Number(v.trim()))
            .filter((v) => Number.isFinite(v) && v > 0),
        ),
      );
      controls.push(thresholds);
    } else if (this.panel.labels.length > 0) {
      const search = document.createElement('input');
      search.className = 'series-search';
      search.type = 'search';
      search.name = 'search';
      search.placeholder = 'search series';
      search.value = context.search;
      search.addEventListener('input', () => this.callbacks.onSearchChange(search.value));
      controls.push(search);
    }
    this.filterElement.replaceChildren(...controls);
    this.filtersLoaded = true;
  }

  private selection(): [LabelFilters, CpuView] {
    const filters: Record<string, string> = {};
    let cpuView: CpuView = 'summed';
    for (const select of this.filterElement.querySelectorAll('select')) {
      if (select.name === CPU_LABEL && select.value === EACH_CPU) cpuView = 'per-cpu';
      else if (select.value) filters[select.name] = select.value;
    }
    return [filters, cpuView];
  }
}

function hasObservations(data: HeatmapData, context: PanelContext): boolean {
  const columns = heatmapColumns(data.matrix.times, context.range.step, context.axis);
  const total = data.matrix.cumulativeRates.at(-1) ?? [];
  return columns.some(({ index }) => (total[index] ?? 0) > 0);
}

function clock(seconds: number): string {
  return new Date(seconds * 1000).toLocaleTimeString();
}
