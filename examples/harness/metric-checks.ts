// Checks one scrape against an example's metric expectations. Returns human-readable problems; an
// empty list means the example proved what it claims.
import { isRegexp, type LabelMatcher, type MetricExpectation } from './expectations';
import type { Sample } from './exposition';

/** `types`: each family's `# TYPE` from the same scrape (exposedTypes), checked for gauges. */
export function checkMetrics(samples: readonly Sample[], expectations: readonly MetricExpectation[], types: ReadonlyMap<string, string> = new Map()): string[] {
  return expectations.flatMap((expectation) =>
    expectation.type === 'histogram'
      ? checkHistogram(samples, expectation)
      : expectation.type === 'gauge'
        ? checkGauge(samples, expectation, types.get(expectation.name))
        : checkCounter(samples, expectation),
  );
}

export function labelsMatch(labels: Record<string, string>, matcher: LabelMatcher): boolean {
  return Object.entries(matcher).every(([name, expected]) => {
    const actual = labels[name];
    if (actual === undefined) return false;
    return isRegexp(expected) ? new RegExp(expected.slice(1, -1)).test(actual) : actual === expected;
  });
}

interface Series {
  labels: Record<string, string>;
  /** Counter value, or histogram `_count`. */
  value: number;
}

function checkCounter(samples: readonly Sample[], expectation: MetricExpectation): string[] {
  const series = samples.filter((sample) => sample.name === expectation.name);
  if (series.length === 0) return [`${expectation.name}: no series at all`];
  return [...commonProblems(expectation, series), ...series.filter((s) => !(s.value >= 0)).map((s) => `${describe(expectation.name, s.labels)}: negative value ${s.value}`)];
}

// A gauge is a level: it may be negative (a signed field), so a matcher needs a non-zero value, and the
// family must be exposed as a gauge.
function checkGauge(samples: readonly Sample[], expectation: MetricExpectation, type: string | undefined): string[] {
  const series = samples.filter((sample) => sample.name === expectation.name);
  if (series.length === 0) return [`${expectation.name}: no series at all`];
  return [
    ...(type === 'gauge' ? [] : [`${expectation.name}: exposed as ${type ?? 'untyped'}, not gauge`]),
    ...commonProblems(expectation, series, (value) => value !== 0),
  ];
}

function checkHistogram(samples: readonly Sample[], expectation: MetricExpectation): string[] {
  const groups = new Map<string, { labels: Record<string, string>; buckets: [number, number][]; count?: number; sum?: number }>();
  const group = (labels: Record<string, string>) => {
    const rest = Object.fromEntries(Object.entries(labels).filter(([name]) => name !== 'le'));
    const key = JSON.stringify(Object.entries(rest).sort());
    let entry = groups.get(key);
    if (!entry) groups.set(key, (entry = { labels: rest, buckets: [] }));
    return entry;
  };
  for (const sample of samples) {
    if (sample.name === `${expectation.name}_bucket`) group(sample.labels).buckets.push([Number(sample.labels.le === '+Inf' ? Infinity : sample.labels.le), sample.value]);
    else if (sample.name === `${expectation.name}_count`) group(sample.labels).count = sample.value;
    else if (sample.name === `${expectation.name}_sum`) group(sample.labels).sum = sample.value;
  }
  if (groups.size === 0) return [`${expectation.name}: no histogram series at all`];

  const problems: string[] = [];
  const series: Series[] = [];
  for (const { labels, buckets, count, sum } of groups.values()) {
    const name = describe(expectation.name, labels);
    buckets.sort((a, b) => a[0] - b[0]);
    const inf = buckets.at(-1);
    if (count === undefined || sum === undefined) problems.push(`${name}: missing _count or _sum`);
    if (!inf || inf[0] !== Infinity) problems.push(`${name}: no le="+Inf" bucket`);
    else if (inf[1] !== count) problems.push(`${name}: _count ${count} differs from the +Inf bucket ${inf[1]}`);
    buckets.forEach(([le, cumulative], i) => {
      const previous = buckets[i - 1];
      if (Number.isNaN(le)) problems.push(`${name}: unparseable le bound`);
      if (previous && cumulative < previous[1]) {
        problems.push(`${name}: buckets not cumulative (le=${previous[0]}: ${previous[1]}, le=${le}: ${cumulative})`);
      }
    });
    if (sum !== undefined && !(sum >= 0)) problems.push(`${name}: negative _sum ${sum}`);
    series.push({ labels, value: count ?? 0 });
  }
  return [...problems, ...commonProblems(expectation, series)];
}

function commonProblems(expectation: MetricExpectation, series: readonly Series[], counts = (value: number) => value > 0): string[] {
  const problems: string[] = [];
  for (const matcher of expectation.series) {
    if (!series.some((s) => labelsMatch(s.labels, matcher) && counts(s.value))) {
      const seen = series.slice(0, 5).map((s) => `${JSON.stringify(s.labels)}=${s.value}`);
      problems.push(`${expectation.name}: no non-zero series matching ${JSON.stringify(matcher)} (saw ${seen.join(', ')}${series.length > 5 ? ', ...' : ''})`);
    }
  }
  for (const label of expectation.known) {
    const unknown = series.find((s) => s.labels[label]?.startsWith('unknown'));
    if (unknown) problems.push(`${describe(expectation.name, unknown.labels)}: label ${label} was not decoded`);
  }
  const stray = series.find((s) => !labelsMatch(s.labels, expectation.only));
  if (stray) problems.push(`${describe(expectation.name, stray.labels)}: does not match ${JSON.stringify(expectation.only)}`);
  return problems;
}

function describe(name: string, labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  return `${name}{${pairs.join(',')}}`;
}
