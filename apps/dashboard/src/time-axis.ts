// Where a chart's time axis starts and ends, and which heatmap columns it draws. A history shorter than
// the range starts the axis at its oldest sample (a minute of data is then the whole chart, not a sliver
// at its right edge), and the axis starts and ends on step edges, so every column is one step wide.
import type { QueryRange } from './time-range';

export interface TimeAxis {
  /** Unix seconds, both on step edges. */
  start: number;
  end: number;
}

/** `oldestSample` is the source's oldest sample still held, `undefined` when the source does not tell. */
export function timeAxis(range: QueryRange, oldestSample: number | undefined): TimeAxis {
  if (oldestSample === undefined) return { start: range.start, end: range.end };
  // The step holding the oldest sample is the first that can show anything; at least one step is shown.
  const dataStart = Math.floor(oldestSample / range.step) * range.step;
  return { start: Math.min(range.end - range.step, Math.max(range.start, dataStart)), end: range.end };
}

/**
 * The columns a heatmap draws: a rate at time `t` describes the step that ends at `t`, so the column of
 * `times[i]` spans `[t - step, t]`. Only columns wholly inside the axis are drawn: none sticks out of the
 * plot, and the newest, ending at the axis end, is as wide as the others.
 */
export function heatmapColumns(times: readonly number[], step: number, axis: TimeAxis): { index: number; start: number; end: number }[] {
  const columns: { index: number; start: number; end: number }[] = [];
  times.forEach((t, index) => {
    if (t - step >= axis.start - 1e-9 && t <= axis.end + 1e-9) columns.push({ index, start: t - step, end: t });
  });
  return columns;
}
