import type { DecoderName } from '../decoders/decoder-names';
import type { GoRegexp } from '../decoders/go-regexp';

/** 1-based position in the config file, kept so later checks can point at the right line. */
export interface SourcePosition {
  line: number;
  column: number;
}

export interface DecoderConfig {
  name: DecoderName;
  /** `static_map`; YAML scalars keep their source spelling, as Go's yaml does for string maps. */
  staticMap?: ReadonlyMap<string, string>;
  allowUnknown: boolean;
  /** `regexps`, compiled at load. */
  regexps: readonly GoRegexp[];
}

export interface LabelConfig {
  name: string;
  size: number;
  padding: number;
  decoders: readonly DecoderConfig[];
  position: SourcePosition;
}

/**
 * Which bytes of each map value a metric reads (of each CPU's slot, in a per-CPU map), in host byte order:
 * a field of a struct value, so several metrics can read one map. Upstream's configs read the whole value
 * as a u64 (the default).
 */
export interface ValueField {
  offset: number;
  size: 1 | 2 | 4 | 8;
  /** Two's complement; only gauges may say so (a counter or a bucket count never goes below zero). */
  signed: boolean;
}

export const DEFAULT_VALUE_FIELD: ValueField = { offset: 0, size: 8, signed: false };

/** What every metric read from a map has: where it reads and how its keys become labels. */
export interface MapMetricConfig {
  name: string;
  help: string;
  /** `map`: the BPF map read; upstream's configs name it after the metric (the default). */
  map: string;
  /** `value`: the field of each map value that is counted (DEFAULT_VALUE_FIELD when absent). */
  value: ValueField;
  /** Whether `value` was written in the config: a map whose values are not one u64 needs it. */
  valueGiven: boolean;
  labels: readonly LabelConfig[];
  /** `max_series`: the most series the collector keeps for this metric; absent means no per-metric cap. */
  maxSeries?: number;
  position: SourcePosition;
}

export interface CounterConfig extends MapMetricConfig {
  perfEventArray: boolean;
  /** perf_event_array counters are reset this often (Go duration in the file, default 1h). */
  flushIntervalMs: number;
}

/** `metrics.gauges`: a counter's machinery for a value that goes up and down (a level, not a count). */
export type GaugeConfig = MapMetricConfig;

export const BUCKET_TYPES = ['exp2', 'exp2zero', 'linear', 'fixed'] as const;
export type BucketType = (typeof BUCKET_TYPES)[number];

export interface HistogramConfig extends MapMetricConfig {
  bucketType: BucketType;
  /** 0 or absent in the file means 1. */
  bucketMultiplier: number;
  bucketMin: number;
  bucketMax: number;
  bucketKeys: readonly number[];
  /**
   * Whether the labels end with `cpu` after the bucket label: one histogram per CPU of a per-CPU map (the
   * CPU index is appended to each key, as for counters); the bucket index is then the label before it.
   * Otherwise the last label is the bucket index, and a per-CPU map's counts are summed over CPUs.
   */
  perCpu: boolean;
  /** `sum`: a field of each bucket entry's value added up into `_sum`, instead of the sum key. */
  sum?: ValueField;
}

export interface SpanConfig {
  name: string;
  ringbuf: string;
  /** Absent means the exporter's `OTEL_SERVICE_NAME`. */
  service?: string;
  labels: readonly LabelConfig[];
  position: SourcePosition;
}

export interface CgroupIdMapConfig {
  name: string;
  type: 'hash' | 'cgrp_storage';
  regexps: readonly GoRegexp[];
  position: SourcePosition;
}

export interface Config {
  /** The file stem: upstream ignores any `name` key in the file. */
  name: string;
  file: string;
  metrics: { counters: CounterConfig[]; gauges: GaugeConfig[]; histograms: HistogramConfig[] };
  tracing: { spans: SpanConfig[] };
  kaddrs: string[];
  cgroupIdMap?: CgroupIdMapConfig;
}
