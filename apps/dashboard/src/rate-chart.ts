// Counter rates or gauge values over time, one uPlot line per label set: the busiest few matching the
// panel's search, and for counters the rest summed into "other" (series-legend). The legend shows the
// newest values until the pointer is on the chart.
import uPlot from 'uplot';
import type { GaugePanel, RatePanel } from '@ebpf-exporter/dashboard-model';
import { chartTheme } from './chart-theme';
import { formatValue } from './format';
import { latestTimeSeries, legendValue, TIME_INCREMENTS } from './chart-legend';
import type { LegendSeries } from './series-legend';
import type { TimeAxis } from './time-axis';
import { valueRange } from './value-range';

export class RateChart {
  private plot: uPlot | undefined;
  private seriesKey = '';
  private axis: TimeAxis | undefined;
  private readonly resize = new ResizeObserver(() => this.plot?.setSize(this.size()));

  constructor(
    private readonly container: HTMLElement,
    private readonly panel: RatePanel | GaugePanel,
  ) {
    this.resize.observe(container);
  }

  render(legend: LegendSeries, axis: TimeAxis): void {
    this.axis = axis;
    const names = legend.series.map((s) => s.name);
    const data: uPlot.AlignedData = [legend.times, ...legend.series.map((s) => s.values)];
    const key = names.join('\n');
    if (!this.plot || key !== this.seriesKey) {
      this.plot?.destroy();
      this.plot = new uPlot(this.options(names), data, this.container);
      this.seriesKey = key;
    } else {
      this.plot.setData(data);
    }
    this.container.dataset.seriesDrawn = String(legend.series.length);
  }

  destroy(): void {
    this.resize.disconnect();
    this.plot?.destroy();
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(300, this.container.clientWidth), height: 240 };
  }

  private options(names: readonly string[]): uPlot.Options {
    const theme = chartTheme();
    const axis = { stroke: theme.axis, grid: { stroke: theme.grid, width: 1 }, ticks: { stroke: theme.grid } };
    return {
      ...this.size(),
      scales: {
        x: { time: true, range: () => (this.axis ? [this.axis.start, this.axis.end] : [0, 1]) },
        y: { range: (_u, min, max) => valueRange(min, max) },
      },
      axes: [{ ...axis, incrs: TIME_INCREMENTS }, { ...axis, size: 70, values: (_u, splits) => splits.map((v) => (v === null ? '' : formatValue(v, this.panel.unit))) }],
      series: [
        latestTimeSeries(),
        ...names.map((label, i) => ({
          label,
          stroke: theme.series[i % theme.series.length],
          width: 1.5,
          value: legendValue(this.panel.unit),
        })),
      ],
      cursor: { points: { size: 5 } },
    };
  }
}
