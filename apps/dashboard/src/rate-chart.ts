// Counter rates or gauge values over time, one uPlot line per label set (the busiest few, chosen by the
// data source).
import uPlot from 'uplot';
import { seriesName, type GaugePanel, type RatePanel, type SeriesMatrix } from '@ebpf-exporter/dashboard-model';
import { chartTheme } from './chart-theme';
import { formatValue } from './format';
import { valueRange } from './value-range';

export class RateChart {
  private plot: uPlot | undefined;
  private seriesKey = '';
  private readonly resize = new ResizeObserver(() => this.plot?.setSize(this.size()));

  constructor(
    private readonly container: HTMLElement,
    private readonly panel: RatePanel | GaugePanel,
  ) {
    this.resize.observe(container);
  }

  render(matrix: SeriesMatrix): void {
    const names = matrix.series.map((s) => seriesName(s.labels));
    const data: uPlot.AlignedData = [matrix.times, ...matrix.series.map((s) => s.values)];
    const key = names.join('\n');
    if (!this.plot || key !== this.seriesKey) {
      this.plot?.destroy();
      this.plot = new uPlot(this.options(names), data, this.container);
      this.seriesKey = key;
    } else {
      this.plot.setData(data);
    }
    this.container.dataset.seriesDrawn = String(matrix.series.length);
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
      scales: { x: { time: true }, y: { range: (_u, min, max) => valueRange(min, max) } },
      axes: [axis, { ...axis, size: 70, values: (_u, splits) => splits.map((v) => (v === null ? '' : formatValue(v, this.panel.unit))) }],
      series: [
        {},
        ...names.map((label, i) => ({
          label,
          stroke: theme.series[i % theme.series.length],
          width: 1.5,
          value: (_u: uPlot, v: number | null) => (v === null ? '–' : formatValue(v, this.panel.unit)),
        })),
      ],
      cursor: { points: { size: 5 } },
    };
  }
}
