// The exporter's own bounded in-memory history of its metric values, so the dashboard shows live
// graphs without a Prometheus server. Memory is bounded up front: a ring of `capacity` samples per
// series, and new series are admitted only while the rings fit in `maxBytes`; series that have not been
// seen for a whole window are forgotten, which frees room for new ones.
import type { MetricFamily } from '@ebpf-exporter/metrics';
import {
  latestAt,
  rangeSteps,
  ratesAt,
  topSeries,
  type BucketRateMatrix,
  type LabelFilters,
  type SeriesMatrix,
} from '@ebpf-exporter/dashboard-model';
import { familySeries, type FamilySeries } from './family-series';

export interface HistoryLimits {
  windowSeconds: number;
  resolutionSeconds: number;
  /** Budget for all sample values; series that would exceed it are not recorded (counted in `droppedSeries`). */
  maxBytes: number;
}

export interface RangeQuery {
  metric: string;
  filters: LabelFilters;
  /** Unix seconds. */
  start: number;
  end: number;
  step: number;
  /** Rate window in seconds. */
  window: number;
}

export interface SampleTimes {
  first: number;
  oldest: number;
  newest: number;
}

interface StoredSeries {
  /** See FamilySeries.labelText; the key of the series among those of its metric. */
  labelText: string;
  labels: Record<string, string>;
  /** Finite histogram bounds, or `null` for a scalar; a histogram stores one column per bound plus `count`. */
  upperBounds: number[] | null;
  width: number;
  /** `capacity * width` values, `NaN` where the series was absent from a sample. */
  values: Float64Array;
  lastSample: number;
  /** Its position in its family at its last sample, where the next sample looks for it first. */
  index: number;
}

interface MetricSeries {
  /** The family's type at its last sample: it decides whether its values are read as rates or as they are. */
  type: MetricFamily['type'];
  byText: Map<string, StoredSeries>;
  /** FamilySeries.layout of the metric's last sample. */
  layout: object | undefined;
}

export class MetricHistory {
  readonly capacity: number;
  private readonly times: Float64Array;
  /** By metric name: no key string is built per series and sample. */
  private readonly metrics = new Map<string, MetricSeries>();
  private readonly maxValues: number;
  private storedSeriesValues = 0;
  /** Number of samples ever recorded; sample `n` lives in slot `n % capacity`. */
  private samples = 0;
  /** Series refused for want of room, counted once per sample they were refused in. */
  droppedSeries = 0;
  /** Unix seconds of the first sample ever recorded: the dashboard says since when it collects. */
  private firstTime: number | undefined;

  constructor(limits: HistoryLimits) {
    if (!(limits.resolutionSeconds > 0) || !(limits.windowSeconds >= limits.resolutionSeconds)) {
      throw new Error(
        `dashboard history: window (${limits.windowSeconds}s) must be at least the resolution (${limits.resolutionSeconds}s), and the resolution positive`,
      );
    }
    this.capacity = Math.ceil(limits.windowSeconds / limits.resolutionSeconds) + 1;
    this.times = new Float64Array(this.capacity);
    this.maxValues = Math.floor(limits.maxBytes / Float64Array.BYTES_PER_ELEMENT);
  }

  record(timeSeconds: number, families: readonly MetricFamily[]): void {
    const sample = this.samples;
    const slot = sample % this.capacity;
    this.times[slot] = timeSeconds;
    this.firstTime ??= timeSeconds;
    this.forgetStaleSeries(sample);
    for (const family of families) this.recordFamily(family.name, family.type, familySeries(family), sample);
    for (const stored of this.allSeries()) {
      if (stored.lastSample !== sample) stored.values.fill(Number.NaN, slot * stored.width, (slot + 1) * stored.width);
    }
    this.samples++;
  }

  /**
   * With the budget full a large family has a few stored series among many refused ones, and the work per
   * sample is kept to the stored ones: each is first looked for where it was last time (all are found there
   * when the map behind the family did not change), and once no stored series can be further on in the
   * family and no new one fits, the rest of the family is counted as refused without being read.
   */
  private recordFamily(name: string, type: MetricFamily['type'], family: FamilySeries, sample: number): void {
    let metric = this.metrics.get(name);
    if (!metric) this.metrics.set(name, (metric = { type, byText: new Map(), layout: undefined }));
    metric.type = type;
    const stored = metric.byText;
    let missed = 0;
    for (const series of stored.values()) {
      const i = series.index;
      if (i < family.count && family.labelText(i) === series.labelText && sameBounds(series.upperBounds, family.upperBounds(i))) {
        this.write(series, family, i, sample);
      } else {
        missed++;
      }
    }
    // Stored series the family may still hold further on. Given the label texts of the last sample again,
    // every stored series in it was met there and has just been found at its position: none is left.
    let unmet = family.layout !== undefined && family.layout === metric.layout ? 0 : missed;
    metric.layout = family.layout;
    for (let i = 0; i < family.count; i++) {
      if (unmet === 0 && !this.fits(this.capacity)) {
        this.droppedSeries += family.count - i - writtenFrom(stored.values(), i, sample);
        return;
      }
      const labelText = family.labelText(i);
      const existing = stored.get(labelText);
      // Written already: found at its position above.
      if (existing?.lastSample === sample) continue;
      if (existing) unmet--;
      const series = existing && sameBounds(existing.upperBounds, family.upperBounds(i)) ? existing : this.admit(stored, family, i, labelText, existing);
      if (series) this.write(series, family, i, sample);
    }
  }

  private write(series: StoredSeries, family: FamilySeries, i: number, sample: number): void {
    family.write(i, series.values, (sample % this.capacity) * series.width);
    series.lastSample = sample;
    series.index = i;
  }

  private fits(values: number): boolean {
    return this.storedSeriesValues + values <= this.maxValues;
  }

  /** A new ring for series `i` (replacing `existing`, stored with other bounds), or `undefined` when it does not fit. */
  private admit(
    stored: Map<string, StoredSeries>,
    family: FamilySeries,
    i: number,
    labelText: string,
    existing: StoredSeries | undefined,
  ): StoredSeries | undefined {
    const upperBounds = family.upperBounds(i);
    const width = upperBounds ? upperBounds.length + 1 : 1;
    const freed = existing ? existing.values.length : 0;
    if (!this.fits(this.capacity * width - freed)) {
      this.droppedSeries++;
      return undefined;
    }
    this.storedSeriesValues += this.capacity * width - freed;
    const series: StoredSeries = {
      labelText,
      labels: family.labels(i),
      upperBounds,
      width,
      values: new Float64Array(this.capacity * width).fill(Number.NaN),
      lastSample: this.samples,
      index: i,
    };
    stored.set(labelText, series);
    return series;
  }

  /**
   * Once at most one of its samples is left in the ring a series can no longer give a rate: forget it
   * before recording, so its room goes to the series of this sample.
   */
  private forgetStaleSeries(sample: number): void {
    for (const [name, { byText }] of this.metrics) {
      for (const [labelText, series] of byText) {
        if (sample - series.lastSample >= this.capacity - 1) {
          byText.delete(labelText);
          this.storedSeriesValues -= series.values.length;
        }
      }
      if (byText.size === 0) this.metrics.delete(name);
    }
  }

  private *allSeries(): Iterable<StoredSeries> {
    for (const { byText } of this.metrics.values()) yield* byText.values();
  }

  /**
   * When the history started collecting, its oldest sample still held and its newest (Unix seconds), or
   * `undefined` before the first: the dashboard starts its time axis at `oldest` and tells when the next
   * sample is due from `newest`.
   */
  sampleTimes(): SampleTimes | undefined {
    if (this.firstTime === undefined) return undefined;
    const { times } = this.chronological();
    return { first: this.firstTime, oldest: times[0] as number, newest: times[times.length - 1] as number };
  }

  /** Sample values held in memory (8 bytes each), never more than `maxBytes / 8`. */
  storedValues(): number {
    return this.storedSeriesValues;
  }

  seriesCount(): number {
    let count = 0;
    for (const { byText } of this.metrics.values()) count += byText.size;
    return count;
  }

  /**
   * `sum by (le) (rate(metric_bucket{filters}[window]))` over the range. A per-CPU histogram's series differ
   * in `cpu`: unfiltered they add up to the sum over CPUs, filtered on `cpu` they give that CPU's heatmap.
   */
  bucketRates(query: RangeQuery): BucketRateMatrix {
    const outputTimes = rangeSteps(query.start, query.end, query.step);
    const { times, slots } = this.chronological();
    const sums = new Map<number, (number | null)[]>();
    for (const stored of this.matching(query)) {
      if (!stored.upperBounds) continue;
      const bounds = [...stored.upperBounds, Number.POSITIVE_INFINITY];
      bounds.forEach((bound, column) => {
        const rates = ratesAt(times, this.column(stored, slots, column), outputTimes, query.window);
        sums.set(bound, addSeries(sums.get(bound), rates));
      });
    }
    const upperBounds = [...sums.keys()].sort((a, b) => a - b);
    return { times: outputTimes, upperBounds, cumulativeRates: upperBounds.map((b) => sums.get(b) ?? []) };
  }

  /**
   * Every scalar series of the metric matching the filters, the `top` busiest ones: for a counter
   * `rate(metric{filters}[window])`, for a gauge its own value at each step (the latest sample within the
   * window, as a plain selector answers: a rate of a level means nothing). The history knows each family's
   * type from its samples, so the one question serves both.
   */
  scalarSeries(query: RangeQuery, top: number): SeriesMatrix {
    const outputTimes = rangeSteps(query.start, query.end, query.step);
    const { times, slots } = this.chronological();
    const valuesAt = this.metrics.get(query.metric)?.type === 'gauge' ? latestAt : ratesAt;
    const series = [...this.matching(query)]
      .filter((stored) => !stored.upperBounds)
      .map((stored) => ({
        labels: stored.labels,
        values: valuesAt(times, this.column(stored, slots, 0), outputTimes, query.window),
      }));
    return { times: outputTimes, series: topSeries(series, top) };
  }

  /** Values seen per label of one metric, for the filter menus. */
  labelValues(metric: string): Record<string, string[]> {
    const values = new Map<string, Set<string>>();
    for (const stored of this.metrics.get(metric)?.byText.values() ?? []) {
      for (const [label, value] of Object.entries(stored.labels)) {
        let set = values.get(label);
        if (!set) values.set(label, (set = new Set()));
        set.add(value);
      }
    }
    return Object.fromEntries([...values].map(([label, set]) => [label, [...set].sort()]));
  }

  private *matching(query: RangeQuery): Iterable<StoredSeries> {
    const filters = Object.entries(query.filters);
    for (const stored of this.metrics.get(query.metric)?.byText.values() ?? []) {
      if (filters.every(([label, value]) => stored.labels[label] === value)) yield stored;
    }
  }

  /** Sample times oldest first, and the ring slot each one lives in. */
  private chronological(): { times: number[]; slots: number[] } {
    const count = Math.min(this.samples, this.capacity);
    const slots = Array.from({ length: count }, (_, i) => (this.samples - count + i) % this.capacity);
    return { times: slots.map((slot) => this.times[slot] as number), slots };
  }

  private column(stored: StoredSeries, slots: readonly number[], column: number): number[] {
    return slots.map((slot) => stored.values[slot * stored.width + column] as number);
  }
}

/** How many of `series` were written in `sample` at position `from` or after. */
function writtenFrom(series: Iterable<StoredSeries>, from: number, sample: number): number {
  let count = 0;
  for (const stored of series) if (stored.lastSample === sample && stored.index >= from) count++;
  return count;
}

function sameBounds(a: readonly number[] | null, b: readonly number[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((bound, i) => bound === b[i]);
}

/** Sum of two rate series where a missing value only counts when every series misses it. */
function addSeries(total: (number | null)[] | undefined, rates: (number | null)[]): (number | null)[] {
  if (!total) return rates;
  return total.map((value, i) => {
    const rate = rates[i] ?? null;
    if (value === null) return rate;
    return rate === null ? value : value + rate;
  });
}
