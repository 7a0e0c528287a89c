// Colours shared by the charts, read from the page's CSS variables so light/dark is defined once.

export interface ChartTheme {
  axis: string;
  grid: string;
  quantiles: readonly string[];
  threshold: string;
  /** The marginal histogram's bars: neutral, so they never pass for heatmap cells. */
  marginal: string;
  series: readonly string[];
}

export function chartTheme(): ChartTheme {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    axis: v('--axis'),
    grid: v('--grid'),
    quantiles: [v('--p50'), v('--p90'), v('--p99')],
    threshold: v('--threshold'),
    marginal: v('--marginal'),
    series: v('--series').split(/\s+/),
  };
}
