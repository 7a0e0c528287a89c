// The Y range of a line chart: from zero, like Grafana's default for rates, widened downwards when a gauge
// goes below zero (a level can, a rate cannot), with a little headroom either way.

const HEADROOM = 1.1;

/** `min` and `max` of the drawn values, `null` without any. */
export function valueRange(min: number | null, max: number | null): [number, number] {
  const low = Math.min(0, min ?? 0) * HEADROOM;
  const high = Math.max(0, max ?? 0) * HEADROOM;
  // Nothing but zeros (or nothing at all) still gets an axis.
  return [low, high > low ? high : low + 1];
}
