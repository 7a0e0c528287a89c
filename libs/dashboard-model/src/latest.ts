// A gauge's value at each instant of a range, for the exporter's own in-memory history: what Prometheus
// answers for a plain selector in a range query, the latest sample at or before each instant.

/**
 * The value of one column of samples (ascending times, `NaN` where the series was absent) at each output
 * time: its latest sample with `t - lookback < time <= t`, `null` without one. A sample where the series was
 * absent ends it there, as Prometheus's staleness marker does, instead of repeating an older value.
 */
export function latestAt(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  outputTimes: readonly number[],
  lookback: number,
): (number | null)[] {
  const latest: (number | null)[] = [];
  let end = 0;
  for (const t of outputTimes) {
    while (end < times.length && (times[end] as number) <= t) end++;
    const last = end - 1;
    const value = last >= 0 && (times[last] as number) > t - lookback ? (values[last] as number) : Number.NaN;
    latest.push(Number.isNaN(value) ? null : value);
  }
  return latest;
}
