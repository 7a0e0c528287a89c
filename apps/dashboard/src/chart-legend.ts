// Legend cells shared by both charts: uPlot shows a dash when the pointer is off the chart, these show the
// newest values instead, so a glance at the legend reads "now".
import type uPlot from 'uplot';
import { formatValue } from './format';
import { latestValue } from './series-legend';

/**
 * Tick spacings of the time axis, in seconds: whole seconds at least. A history a few seconds old spans a
 * few seconds, where uPlot's own choice would label every half second (`:20.500`).
 */
export const TIME_INCREMENTS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];

/** The legend's time cell: the hovered instant, or "latest" while the pointer is elsewhere. */
export function latestTimeSeries(): uPlot.Series {
  return { value: (_u, v, _s, idx) => (idx === null || idx === undefined || v === null ? 'latest' : new Date(v * 1000).toLocaleTimeString()) };
}

/** A legend value: at the hovered instant, else the series' newest known value (never a bare dash). */
export function legendValue(unit: string): (u: uPlot, v: number | null, series: number, idx: number | null) => string {
  return (u, v, series, idx) => {
    const value = idx === null || idx === undefined ? latestValue(u.data[series] as (number | null)[]) : v;
    return value === null ? 'no data' : formatValue(value, unit);
  };
}
