// Names Prometheus would refuse, or read as something else, are refused when the config loads: at scrape
// time they would fail every scrape of the whole exporter, since Prometheus rejects an exposition whole.

/** The collector puts every config metric in this namespace. */
export const METRIC_NAMESPACE = 'ebpf_exporter_';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Why a counter or histogram name cannot be exposed, or undefined when it can. */
export function metricNameProblem(name: string): string | undefined {
  // The namespace goes first, so a leading digit is fine: the exposed name still starts with a letter.
  if (METRIC_NAME.test(`${METRIC_NAMESPACE}${name}`)) return undefined;
  return `${JSON.stringify(name)} is not a valid metric name: ${METRIC_NAMESPACE}${name} must match [a-zA-Z_:][a-zA-Z0-9_:]*`;
}

/** Why an exposed label name cannot be used, or undefined when it can. */
export function labelNameProblem(name: string, inHistogram: boolean): string | undefined {
  if (!LABEL_NAME.test(name)) return `${JSON.stringify(name)} is not a valid label name: it must match [a-zA-Z_][a-zA-Z0-9_]*`;
  if (name.startsWith('__')) return `${JSON.stringify(name)}: label names starting with __ are reserved for Prometheus`;
  if (inHistogram && name === 'le') return '"le" is reserved in a histogram: it holds the upper bound of each bucket';
  return undefined;
}
