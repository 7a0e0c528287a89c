// One panel on the page: title, per-panel label filters and thresholds, and its chart.
import type { HeatmapPanel, LabelFilters, Panel, RatePanel } from '@ebpf-exporter/dashboard-model';
import type { DataSource } from './data-source';
import { HeatmapChart } from './heatmap-chart';
import { heatmapCells, quantileLines, type ColorMode } from './heatmap-cells';
import { RateChart } from './rate-chart';
import type { QueryRange } from './time-range';

export interface PanelContext {
  source: DataSource;
  range: QueryRange;
  colorMode: ColorMode;
  filters: LabelFilters;
  thresholds: number[];
}

export interface PanelCallbacks {
  onFiltersChange(filters: LabelFilters): void;
  onThresholdsChange(thresholds: number[]): void;
}

export class PanelView {
  readonly element: HTMLElement;
  private readonly chartElement: HTMLElement;
  private readonly errorElement: HTMLElement;
  private readonly filterElement: HTMLElement;
  private readonly chart: HeatmapChart | RateChart;
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
    this.element.append(header, this.errorElement, this.chartElement);
    this.chart = panel.kind === 'heatmap' ? new HeatmapChart(this.chartElement, panel) : new RateChart(this.chartElement, panel);
  }

  async refresh(context: PanelContext): Promise<void> {
    try {
      if (!this.filtersLoaded) await this.buildControls(context);
      if (this.panel.kind === 'heatmap') await this.refreshHeatmap(this.panel, context);
      else await this.refreshRates(this.panel, context);
      this.errorElement.hidden = true;
      this.element.dataset.state = 'ready';
    } catch (error) {
      this.errorElement.textContent = (error as Error).message;
      this.errorElement.hidden = false;
      this.element.dataset.state = 'error';
    }
  }

  destroy(): void {
    this.chart.destroy();
  }

  private async refreshHeatmap(panel: HeatmapPanel, context: PanelContext): Promise<void> {
    const data = await context.source.heatmap(panel, context.filters, context.range);
    (this.chart as HeatmapChart).render({
      cells: heatmapCells(data.matrix, panel.yScale, context.colorMode),
      quantiles: data.quantiles ?? quantileLines(data.matrix, panel.quantiles),
      thresholds: context.thresholds,
      colorMode: context.colorMode,
      step: context.range.step,
    });
  }

  private async refreshRates(panel: RatePanel, context: PanelContext): Promise<void> {
    (this.chart as RateChart).render(await context.source.rates(panel, context.filters, context.range));
  }

  private async buildControls(context: PanelContext): Promise<void> {
    const labels = [...context.source.sourceLabels, ...this.panel.labels];
    const values = labels.length > 0 ? await context.source.labelValues(this.panel) : {};
    const controls: HTMLElement[] = labels.map((label) => {
      const select = document.createElement('select');
      select.name = label;
      select.dataset.label = label;
      const selected = context.filters[label];
      const options = [...new Set([...(values[label] ?? []), ...(selected ? [selected] : [])])].sort();
      select.append(new Option(`${label}: all`, ''), ...options.map((v) => new Option(`${label}: ${v}`, v, false, v === selected)));
      select.addEventListener('change', () => this.callbacks.onFiltersChange(this.selectedFilters()));
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
    }
    this.filterElement.replaceChildren(...controls);
    this.filtersLoaded = true;
  }

  private selectedFilters(): LabelFilters {
    const filters: Record<string, string> = {};
    for (const select of this.filterElement.querySelectorAll('select')) if (select.value) filters[select.name] = select.value;
    return filters;
  }
}
