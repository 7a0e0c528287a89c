// PromQL for each panel, shared by the app's Prometheus mode and the Grafana dashboard generator.
import { CPU_LABEL } from './config-info';
import type { CpuView, GaugePanel, HeatmapPanel, RatePanel } from './panels';

/** Exact-match filters, label name to value; an absent label is not filtered. */
export type LabelFilters = Readonly<Record<string, string>>;

/** A matcher value as Grafana template variables expand (`=~"$device"`), or a literal exact value. */
export type Matcher = { op: '='; value: string } | { op: '=~'; value: string };

export function selector(metric: string, matchers: Readonly<Record<string, Matcher>>): string {
  const parts = Object.entries(matchers).map(([label, m]) => `${label}${m.op}${quoteString(m.value)}`);
  return parts.length === 0 ? metric : `${metric}{${parts.join(',')}}`;
}

export function exactMatchers(filters: LabelFilters): Record<string, Matcher> {
  return Object.fromEntries(Object.entries(filters).map(([label, value]) => [label, { op: '=', value }]));
}

/**
 * Rate of every bucket summed over the other labels: the heatmap's input, cumulative by `le`. Summed, the
 * CPUs of a per-CPU histogram add up like any other label; per CPU, `cpu` is kept, one heatmap each.
 */
export function bucketRateQuery(
  panel: HeatmapPanel,
  matchers: Readonly<Record<string, Matcher>>,
  window: string,
  view: CpuView = 'summed',
): string {
  const by = view === 'per-cpu' ? `le, ${CPU_LABEL}` : 'le';
  return `sum by (${by}) (rate(${selector(`${panel.metric}_bucket`, matchers)}[${window}]))`;
}

/** Per CPU, `histogram_quantile` keeps the `cpu` label: one line per CPU and quantile. */
export function quantileQuery(
  panel: HeatmapPanel,
  quantile: number,
  matchers: Readonly<Record<string, Matcher>>,
  window: string,
  view: CpuView = 'summed',
): string {
  return `histogram_quantile(${quantile}, ${bucketRateQuery(panel, matchers, window, view)})`;
}

export function counterRateQuery(panel: RatePanel, matchers: Readonly<Record<string, Matcher>>, window: string): string {
  const by = panel.labels.length === 0 ? '' : ` by (${panel.labels.join(', ')})`;
  return `sum${by} (rate(${selector(panel.metric, matchers)}[${window}]))`;
}

/**
 * A gauge is read as it is: the plain selector, each series with its own labels (`instance` included, as
 * levels of different hosts do not add up in general). No `rate()`, no `sum`.
 */
export function gaugeQuery(panel: GaugePanel, matchers: Readonly<Record<string, Matcher>>): string {
  return selector(panel.metric, matchers);
}

/** Prometheus duration literal for a whole number of seconds. */
export function durationLiteral(seconds: number): string {
  return `${Math.max(1, Math.round(seconds))}s`;
}

/** PromQL string literals follow Go's escaping; JSON's is a compatible subset for these characters. */
function quoteString(value: string): string {
  return JSON.stringify(value);
}
