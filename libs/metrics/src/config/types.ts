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

export interface CounterConfig {
  name: string;
  help: string;
  perfEventArray: boolean;
  /** perf_event_array counters are reset this often (Go duration in the file, default 1h). */
  flushIntervalMs: number;
  labels: readonly LabelConfig[];
  /** `max_series`: the most series the collector keeps for this metric; absent means no per-metric cap. */
  maxSeries?: number;
  position: SourcePosition;
}

export const BUCKET_TYPES = ['exp2', 'exp2zero', 'linear', 'fixed'] as const;
export type BucketType = (typeof BUCKET_TYPES)[number];

export interface HistogramConfig {
  name: string;
  help: string;
  bucketType: BucketType;
  /** 0 or absent in the file means 1. */
  bucketMultiplier: number;
  bucketMin: number;
  bucketMax: number;
  bucketKeys: readonly number[];
  /** The last label is the bucket index. */
  labels: readonly LabelConfig[];
  /** `max_series`: the most series (label sets) the collector keeps for this histogram; absent means no cap. */
  maxSeries?: number;
  position: SourcePosition;
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
  metrics: { counters: CounterConfig[]; histograms: HistogramConfig[] };
  tracing: { spans: SpanConfig[] };
  kaddrs: string[];
  cgroupIdMap?: CgroupIdMapConfig;
}
