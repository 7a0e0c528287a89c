// Query range, step and rate window for "the last N seconds", chosen like Grafana does: a few hundred
// points per graph, and a rate window that always spans at least two samples of the source.

export interface QueryRange {
  start: number;
  end: number;
  step: number;
  /** Rate window in seconds. */
  window: number;
}

const TARGET_POINTS = 240;

/**
 * `sampleInterval` is the source's own spacing (history resolution, or the assumed scrape interval);
 * ends are aligned to the step so consecutive refreshes line up their cells.
 */
export function queryRange(nowSeconds: number, rangeSeconds: number, sampleInterval: number): QueryRange {
  const step = Math.max(sampleInterval, Math.ceil(rangeSeconds / TARGET_POINTS));
  const end = Math.floor(nowSeconds / step) * step;
  // Whole steps only, so the start lies on a cell edge too (a typed range need not be a multiple of the step).
  return { start: end - Math.ceil(rangeSeconds / step) * step, end, step, window: Math.max(step, 3 * sampleInterval) };
}
