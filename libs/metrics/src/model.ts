// The data model shared by the collector, the exposition formatters, the exporter and the dashboard.
// Kept free of Node types so the browser bundle can import it. MapDump is defined in libs/map-types, a layer
// below, because the native binding fills it and may import nothing else; it is re-exported for our users.
import type { MapDump } from '@ebpf-exporter/map-types';

export type { MapDump };

/**
 * Where the collector gets maps from: the native addon in production, recorded dumps in tests.
 * Rejects when the map cannot be read; the collector then skips that metric for this scrape. The buffers
 * of a dump are the caller's from then on, never written again (the collector keeps the keys of a pass
 * instead of copying them).
 */
export interface ReadMapOptions {
  /** Most entries to read (absent: all); a dump that stopped there is `truncated`. */
  maxEntries?: number;
}

export interface MapSource {
  readMap(config: string, map: string, options?: ReadMapOptions): Promise<MapDump>;
}

export type ScalarType = 'counter' | 'gauge' | 'untyped';

export interface ScalarSeries {
  /** Label names in the order they are emitted (the formatter does not reorder them). */
  labelNames: readonly string[];
  labelValues: readonly string[];
  /**
   * The same labels rendered as the exposition writes them (`renderLabelPairs`), when the producer keeps
   * them rendered across scrapes; the formatter then copies it instead of escaping every value again.
   */
  labelText?: string;
  value: number;
}

export interface HistogramBucket {
  upperBound: number;
  /** Cumulative count of observations `<= upperBound`. */
  cumulativeCount: number;
}

export interface HistogramSeries {
  labelNames: readonly string[];
  labelValues: readonly string[];
  /** As ScalarSeries.labelText. */
  labelText?: string;
  /** Sorted by upperBound, without the implicit `+Inf` bucket (that one equals `count`). */
  buckets: HistogramBucket[];
  sum: number;
  count: number;
}

/**
 * Label texts (ScalarSeries.labelText) in UTF-8 in one buffer: text i is `bytes[starts[i]..ends[i])`. The
 * texts need not lie in their order, so an arena can be put in another order without copying its bytes.
 */
export interface LabelArena {
  bytes: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
}

/**
 * The series of a scalar family as columns, in exposition order: what a collector that keeps its label sets
 * across scrapes produces without building an object per series. A family with columns still has `series`
 * (built on first use, for consumers that want objects); the formatter reads the columns.
 */
export interface ScalarColumns {
  labelNames: readonly string[];
  /** Each series' labels as ScalarSeries.labelText. */
  labels: LabelArena;
  values: Float64Array;
}

export type MetricFamily =
  | { name: string; help: string; type: ScalarType; series: ScalarSeries[]; columns?: ScalarColumns }
  /** `ordered`: the series already come in exposition order (a series table's), not to be sorted again. */
  | { name: string; help: string; type: 'histogram'; series: HistogramSeries[]; ordered?: boolean };
