// Per-second rate of a counter over a window of samples, for the exporter's own in-memory history.
// Prometheus's `rate` additionally extrapolates to the window edges; with the history's fixed sampling
// interval the window always spans whole samples, so the plain increase over the sampled span is used.

/**
 * `rate(x[window])` evaluated at each output time over one column of samples (ascending times, `NaN`
 * where the series was absent). A window holds the samples with `t - window < time <= t`; its rate is
 * the increase per second between its first and last sample, a decrease counting as a counter reset
 * (the counter restarted from zero, as after an exporter restart), and `null` below two samples.
 */
export function ratesAt(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  outputTimes: readonly number[],
  window: number,
): (number | null)[] {
  const rates: (number | null)[] = [];
  let first = 0;
  let end = 0;
  for (const t of outputTimes) {
    while (end < times.length && (times[end] as number) <= t) end++;
    while (first < end && (times[first] as number) <= t - window) first++;
    // No per-sample objects: this runs for every bucket of every series at every step, on the
    // exporter's event loop.
    let firstTime = Number.NaN;
    let lastTime = Number.NaN;
    let previous = Number.NaN;
    let increase = 0;
    for (let i = first; i < end; i++) {
      const value = values[i] as number;
      if (Number.isNaN(value)) continue;
      if (Number.isNaN(previous)) firstTime = times[i] as number;
      else increase += value >= previous ? value - previous : value;
      previous = value;
      lastTime = times[i] as number;
    }
    rates.push(lastTime > firstTime ? increase / (lastTime - firstTime) : null);
  }
  return rates;
}

/** Output instants of a range query, Prometheus style: `start, start + step, ...` up to `end`. */
export function rangeSteps(start: number, end: number, step: number): number[] {
  const steps: number[] = [];
  for (let i = 0; start + i * step <= end; i++) steps.push(start + i * step);
  return steps;
}
