// A histogram over time drawn with uPlot: its scales and axes place everything, the cells are painted
// over the grid (under the lines) from a draw hook, the percentile and threshold lines are ordinary uPlot series, a
// marginal histogram of the whole range sits in the right gutter (grey, under its own caption, so it never
// reads as one more column of cells), and the tooltip shows the whole histogram at the hovered instant.
import uPlot from 'uplot';
import type { HeatmapPanel } from '@ebpf-exporter/dashboard-model';
import { chartTheme } from './chart-theme';
import { formatValue } from './format';
import { cellColor } from './heatmap-colors';
import { EMPTY_RANGE, marginalRates, occupiedRange, type HeatmapCells } from './heatmap-cells';
import { latestTimeSeries, legendValue, TIME_INCREMENTS } from './chart-legend';
import { heatmapColumns, type TimeAxis } from './time-axis';

/** Width of the right-hand gutter that holds the marginal histogram, in CSS pixels; narrower on a phone. */
const MARGINAL_WIDTH = 90;
const NARROW_MARGINAL_WIDTH = 44;
const NARROW_CHART = 500;

export interface HeatmapView {
  cells: HeatmapCells;
  quantiles: (number | null)[][];
  thresholds: number[];
  colorMode: 'count' | 'percent';
  step: number;
  axis: TimeAxis;
}

export class HeatmapChart {
  private plot: uPlot | undefined;
  private view: HeatmapView | undefined;
  private seriesCount = -1;
  private marginalWidth = MARGINAL_WIDTH;
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
    // On a phone the plot itself needs the room: a 90-pixel gutter would take a third of it.
    this.marginalWidth = this.container.clientWidth < NARROW_CHART ? NARROW_MARGINAL_WIDTH : MARGINAL_WIDTH;
    const narrow = this.marginalWidth === NARROW_MARGINAL_WIDTH;
    const axis = { stroke: theme.axis, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid } };
    return {
      ...this.size(),
      scales: {
        x: { time: true, range: () => (this.view ? [this.view.axis.start, this.view.axis.end] : [0, 1]) },
        y: {
          ...(this.panel.yScale === 'log2' ? { distr: 3, log: 2 } : { distr: 1 }),
          range: () => (this.view ? occupiedRange(this.view.cells) : EMPTY_RANGE),
        },
      },
      axes: [
        { ...axis, incrs: TIME_INCREMENTS },
        { ...axis, size: narrow ? 64 : 70, values: (_u, splits) => splits.map((v) => (v === null ? '' : formatValue(v, unit))) },
        // An empty right axis only reserves the gutter the marginal histogram is drawn into.
        { scale: 'y', side: 1, size: this.marginalWidth, grid: { show: false }, ticks: { show: false }, values: () => [] },
      ],
      series: [
        latestTimeSeries(),
        ...this.panel.quantiles.map((q, i) => ({
          label: `p${q * 100}`,
          stroke: theme.quantiles[i % theme.quantiles.length],
          width: 1.5,
          value: legendValue(unit),
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
        // After the axes and grid, before the lines: cells cover the grid (which would cut each into
        // strips), and the percentile and threshold lines stay on top.
        drawAxes: [(u) => this.drawCells(u)],
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
    // Edges on whole device pixels: each column then has one width (give or take the rounding of a pixel)
    // and a one-pixel gap to the next, instead of blurred edges that differ column to column.
    const x = (time: number) => Math.round(u.valToPos(time, 'x', true));
    const columns = heatmapColumns(cells.times, step, view.axis).map((c) => ({ ...c, left: x(c.start), right: x(c.end) }));
    cells.values.forEach((row, b) => {
      const top = Math.round(u.valToPos(cells.upper[b] as number, 'y', true));
      const bottom = Math.round(u.valToPos(cells.lower[b] as number, 'y', true));
      for (const { index, left, right } of columns) {
        const value = row[index];
        // No rate (no samples, a gap) and no observations both leave the cell empty.
        if (value === null || value === undefined || value <= 0) continue;
        ctx.fillStyle = cellColor(cells.intensity[b]?.[index] ?? 0);
        ctx.fillRect(left, top, Math.max(1, right - left - 1), Math.max(1, bottom - top - 1));
        drawn++;
      }
    });
    ctx.restore();
    // Read by the browser tests and handy when debugging: how many cells the last draw painted.
    this.container.dataset.cellsDrawn = String(drawn);
  }

  private drawMarginal(u: uPlot): void {
    const cells = this.view?.cells;
    if (!cells) return;
    const ctx = u.ctx;
    const theme = chartTheme();
    const left = u.bbox.left + u.bbox.width + 8 * devicePixelRatio;
    const maxLength = (this.marginalWidth - 12) * devicePixelRatio;
    ctx.save();
    ctx.fillStyle = theme.axis;
    ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
    ctx.textBaseline = 'bottom';
    ctx.fillText(this.marginalWidth === MARGINAL_WIDTH ? 'range mean' : 'mean', left, u.bbox.top - 2 * devicePixelRatio);
    ctx.beginPath();
    ctx.rect(left, u.bbox.top, maxLength, u.bbox.height);
    ctx.clip();
    ctx.fillStyle = theme.marginal;
    marginalRates(cells).forEach(({ share }, b) => {
      if (share <= 0) return;
      const top = u.valToPos(cells.upper[b] as number, 'y', true);
      const bottom = u.valToPos(cells.lower[b] as number, 'y', true);
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
