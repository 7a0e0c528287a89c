// The exporter's own bounded in-memory history of its metric values, so the dashboard shows live
// graphs without a Prometheus server. Memory is bounded up front: a ring of `capacity` samples per
// series, and new series are admitted only while the rings fit in `maxBytes`; series that have not been
// seen for a whole window are forgotten, which frees room for new ones.
import type { MetricFamily } from '@ebpf-exporter/metrics';
import {
  rangeSteps,
  ratesAt,
  topSeries,
  type BucketRateMatrix,
  type LabelFilters,
  type SeriesMatrix,
} from '@ebpf-exporter/dashboard-model';

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

interface StoredSeries {
  metric: string;
  labels: Record<string, string>;
  /** Finite histogram bounds, or `null` for a scalar; a histogram stores one column per bound plus `count`. */
  upperBounds: number[] | null;
  width: number;
  /** `capacity * width` values, `NaN` where the series was absent from a sample. */
  values: Float64Array;
  lastSample: number;
}

export class MetricHistory {
  readonly capacity: number;
  private readonly times: Float64Array;
  private readonly series = new Map<string, StoredSeries>();
  private readonly maxValues: number;
  private storedSeriesValues = 0;
  /** Number of samples ever recorded; sample `n` lives in slot `n % capacity`. */
  private samples = 0;
  droppedSeries = 0;

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
    this.forgetStaleSeries(sample);
    for (const family of families) {
      if (family.type === 'histogram') {
        for (const s of family.series) {
          const bounds = s.buckets.map((b) => b.upperBound);
          const stored = this.seriesFor(family.name, s.labelNames, s.labelValues, bounds);
          if (!stored) continue;
          const offset = slot * stored.width;
          s.buckets.forEach((bucket, i) => (stored.values[offset + i] = bucket.cumulativeCount));
          stored.values[offset + bounds.length] = s.count;
          stored.lastSample = sample;
        }
      } else {
        for (const s of family.series) {
          const stored = this.seriesFor(family.name, s.labelNames, s.labelValues, null);
          if (!stored) continue;
          stored.values[slot] = s.value;
          stored.lastSample = sample;
        }
      }
    }
    for (const stored of this.series.values()) {
      if (stored.lastSample !== sample) stored.values.fill(Number.NaN, slot * stored.width, (slot + 1) * stored.width);
    }
    this.samples++;
  }

  /**
   * Once at most one of its samples is left in the ring a series can no longer give a rate: forget it
   * before recording, so its room goes to the series of this sample.
   */
  private forgetStaleSeries(sample: number): void {
    for (const [key, stored] of this.series) {
      if (sample - stored.lastSample >= this.capacity - 1) {
        this.series.delete(key);
        this.storedSeriesValues -= stored.values.length;
      }
    }
  }

  /** Sample values held in memory (8 bytes each), never more than `maxBytes / 8`. */
  storedValues(): number {
    return this.storedSeriesValues;
  }

  seriesCount(): number {
    return this.series.size;
  }

  /** `sum by (le) (rate(metric_bucket{filters}[window]))` over the range. */
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

  /** `rate(metric{filters}[window])` per label set, the `top` busiest ones. */
  counterRates(query: RangeQuery, top: number): SeriesMatrix {
    const outputTimes = rangeSteps(query.start, query.end, query.step);
    const { times, slots } = this.chronological();
    const series = [...this.matching(query)]
      .filter((stored) => !stored.upperBounds)
      .map((stored) => ({
        labels: stored.labels,
        values: ratesAt(times, this.column(stored, slots, 0), outputTimes, query.window),
      }));
    return { times: outputTimes, series: topSeries(series, top) };
  }

  /** Values seen per label of one metric, for the filter menus. */
  labelValues(metric: string): Record<string, string[]> {
    const values = new Map<string, Set<string>>();
    for (const stored of this.series.values()) {
      if (stored.metric !== metric) continue;
      for (const [label, value] of Object.entries(stored.labels)) {
        let set = values.get(label);
        if (!set) values.set(label, (set = new Set()));
        set.add(value);
      }
    }
    return Object.fromEntries([...values].map(([label, set]) => [label, [...set].sort()]));
  }

  private seriesFor(
    metric: string,
    labelNames: readonly string[],
    labelValues: readonly string[],
    upperBounds: number[] | null,
  ): StoredSeries | undefined {
    const key = JSON.stringify([metric, labelNames, labelValues]);
    const existing = this.series.get(key);
    if (existing && sameBounds(existing.upperBounds, upperBounds)) return existing;
    const width = upperBounds ? upperBounds.length + 1 : 1;
    const freed = existing ? existing.values.length : 0;
    if (this.storedSeriesValues - freed + this.capacity * width > this.maxValues) {
      this.droppedSeries++;
      return undefined;
    }
    this.storedSeriesValues += this.capacity * width - freed;
    const stored: StoredSeries = {
      metric,
      labels: Object.fromEntries(labelNames.map((name, i) => [name, labelValues[i] ?? ''])),
      upperBounds,
      width,
      values: new Float64Array(this.capacity * width).fill(Number.NaN),
      lastSample: this.samples,
    };
    this.series.set(key, stored);
    return stored;
  }

  private *matching(query: RangeQuery): Iterable<StoredSeries> {
    const filters = Object.entries(query.filters);
    for (const stored of this.series.values()) {
      if (stored.metric === query.metric && filters.every(([label, value]) => stored.labels[label] === value)) yield stored;
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
