// A histogram over time drawn with uPlot: its scales and axes place everything, the cells are painted
// under the grid from a draw hook, the percentile and threshold lines are ordinary uPlot series, a
// marginal histogram of the whole range sits in the right gutter, and the tooltip shows the whole
// histogram at the hovered instant.
import uPlot from 'uplot';
import type { HeatmapPanel } from '@ebpf-exporter/dashboard-model';
import { chartTheme } from './chart-theme';
import { formatValue } from './format';
import { cellColor } from './heatmap-colors';
import { EMPTY_RANGE, marginalRates, occupiedRange, type HeatmapCells } from './heatmap-cells';

/** Width of the right-hand gutter that holds the marginal histogram, in CSS pixels. */
const MARGINAL_WIDTH = 90;

export interface HeatmapView {
  cells: HeatmapCells;
  quantiles: (number | null)[][];
  thresholds: number[];
  colorMode: 'count' | 'percent';
  step: number;
}

export class HeatmapChart {
  private plot: uPlot | undefined;
  private view: HeatmapView | undefined;
  private seriesCount = -1;
  private readonly tooltip: HTMLElement;
  private readonly resize = new ResizeObserver(() => this.plot?.setSize(this.size()));

  constructor(
    private readonly container: HTMLElement,
    private readonly panel: HeatmapPanel,
  ) {
    this.tooltip = document.createElement('div');
    this.tooltip.className = 'tooltip';
    this.tooltip.hidden = true;
    container.append(this.tooltip);
    this.resize.observe(container);
  }

  render(view: HeatmapView): void {
    this.view = view;
    const data: uPlot.AlignedData = [
      view.cells.times,
      ...view.quantiles,
      ...view.thresholds.map((value) => view.cells.times.map(() => value)),
    ];
    const seriesCount = view.quantiles.length + view.thresholds.length;
    if (!this.plot || seriesCount !== this.seriesCount) {
      this.plot?.destroy();
      this.plot = new uPlot(this.options(view), data, this.container);
      this.seriesCount = seriesCount;
    } else {
      this.plot.setData(data);
    }
  }

  destroy(): void {
    this.resize.disconnect();
    this.plot?.destroy();
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(300, this.container.clientWidth), height: 280 };
  }

  private options(view: HeatmapView): uPlot.Options {
    const theme = chartTheme();
    const unit = this.panel.unit;
    const axis = { stroke: theme.axis, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid } };
    return {
      ...this.size(),
      scales: {
        x: { time: true },
        y: {
          ...(this.panel.yScale === 'log2' ? { distr: 3, log: 2 } : { distr: 1 }),
          range: () => (this.view ? occupiedRange(this.view.cells) : EMPTY_RANGE),
        },
      },
      axes: [
        axis,
        { ...axis, size: 70, values: (_u, splits) => splits.map((v) => (v === null ? '' : formatValue(v, unit))) },
        // An empty right axis only reserves the gutter the marginal histogram is drawn into.
        { scale: 'y', side: 1, size: MARGINAL_WIDTH, grid: { show: false }, ticks: { show: false }, values: () => [] },
      ],
      series: [
        {},
        ...this.panel.quantiles.map((q, i) => ({
          label: `p${q * 100}`,
          stroke: theme.quantiles[i % theme.quantiles.length],
          width: 1.5,
          value: (_u: uPlot, v: number | null) => (v === null ? '–' : formatValue(v, unit)),
        })),
        ...view.thresholds.map((value) => ({
          label: `threshold ${formatValue(value, unit)}`,
          stroke: theme.threshold,
          dash: [6, 4],
          width: 1.5,
          points: { show: false },
          value: () => formatValue(value, unit),
        })),
      ],
      legend: { live: true },
      cursor: { points: { show: false } },
      hooks: {
        drawClear: [(u) => this.drawCells(u)],
        draw: [(u) => this.drawMarginal(u)],
        setCursor: [(u) => this.showTooltip(u)],
      },
    };
  }

  private drawCells(u: uPlot): void {
    const view = this.view;
    if (!view) return;
    const { cells, step } = view;
    const ctx = u.ctx;
    ctx.save();
    ctx.beginPath();
    ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
    ctx.clip();
    let drawn = 0;
    cells.values.forEach((row, b) => {
      const top = u.valToPos(cells.upper[b] as number, 'y', true);
      const bottom = u.valToPos(cells.lower[b] as number, 'y', true);
      row.forEach((value, t) => {
        if (value === null || value <= 0) return;
        const time = cells.times[t] as number;
        // A rate at time t describes the step that ends at t.
        const left = u.valToPos(time - step, 'x', true);
        const right = u.valToPos(time, 'x', true);
        ctx.fillStyle = cellColor(cells.intensity[b]?.[t] ?? 0);
        ctx.fillRect(left, top, Math.max(1, right - left - 1), Math.max(1, bottom - top - 1));
        drawn++;
      });
    });
    ctx.restore();
    // Read by the browser tests and handy when debugging: how many cells the last draw painted.
    this.container.dataset.cellsDrawn = String(drawn);
  }

  private drawMarginal(u: uPlot): void {
    const cells = this.view?.cells;
    if (!cells) return;
    const ctx = u.ctx;
    const left = u.bbox.left + u.bbox.width + 6 * devicePixelRatio;
    const maxLength = (MARGINAL_WIDTH - 12) * devicePixelRatio;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, u.bbox.top, maxLength, u.bbox.height);
    ctx.clip();
    marginalRates(cells).forEach(({ share }, b) => {
      if (share <= 0) return;
      const top = u.valToPos(cells.upper[b] as number, 'y', true);
      const bottom = u.valToPos(cells.lower[b] as number, 'y', true);
      ctx.fillStyle = cellColor(share);
      // Square-root lengths, like the cell colours, keep the rare tail buckets visible beside the mode.
      ctx.fillRect(left, top, Math.max(1, Math.sqrt(share) * maxLength), Math.max(1, bottom - top - 1));
    });
    ctx.restore();
  }

  private showTooltip(u: uPlot): void {
    const view = this.view;
    const index = u.cursor.idx;
    if (!view || index === null || index === undefined || u.cursor.left === undefined || u.cursor.left < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const { cells } = view;
    const column = cells.values.map((row) => row[index] ?? null);
    const total = column.reduce<number>((sum, v) => sum + (v ?? 0), 0);
    const largest = Math.max(0, ...column.map((v) => v ?? 0));
    const rows = column
      .map((value, b) => ({ value: value ?? 0, bound: cells.upperBounds[b] as number }))
      .filter((row) => row.value > 0);
    this.tooltip.replaceChildren(
      element('div', 'tooltip-title', new Date((cells.times[index] as number) * 1000).toLocaleTimeString()),
      ...rows.map((row) => {
        const line = element('div', 'tooltip-row');
        const bar = element('span', 'tooltip-bar');
        bar.style.width = `${(row.value / largest) * 100}%`;
        bar.style.background = cellColor(view.colorMode === 'percent' ? row.value / total : row.value / largest);
        line.append(
          element('span', 'tooltip-bound', `≤ ${formatValue(row.bound, this.panel.unit)}`),
          element('span', 'tooltip-bar-track', bar),
          element('span', 'tooltip-value', `${formatValue(row.value, '/s')} (${((row.value / total) * 100).toFixed(1)}%)`),
        );
        return line;
      }),
      element('div', 'tooltip-total', rows.length === 0 ? 'no observations' : `total ${formatValue(total, '/s')}`),
    );
    this.tooltip.hidden = false;
    const flip = u.cursor.left > u.bbox.width / devicePixelRatio / 2;
    this.tooltip.style.left = flip ? '' : `${u.cursor.left + 90}px`;
    this.tooltip.style.right = flip ? `${u.over.clientWidth - u.cursor.left + 20}px` : '';
  }
}

function element(tag: string, className: string, content?: string | HTMLElement): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  if (content !== undefined) el.append(content);
  return el;
}
