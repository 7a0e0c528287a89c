// One decoded ring buffer record as a span, with upstream's special label names: ids in hex, the start as
// a CLOCK_MONOTONIC timestamp, the duration, and an optional name. Every other label is an attribute.
import type { DecodedRecord } from '@ebpf-exporter/metrics';

export interface SpanRecord {
  name: string;
  /** 32 lowercase hex digits; absent (or all zeros in the record) means a generated one. */
  traceId?: string;
  /** 16 lowercase hex digits; absent means a root span. */
  parentSpanId?: string;
  /** 16 lowercase hex digits; absent means a generated one. */
  spanId?: string;
  /** Nanoseconds since the Unix epoch. */
  startNs: bigint;
  durationNs: bigint;
  attributes: Record<string, string>;
}

export interface SpanRecordContext {
  /** The span config's name, used unless the record has a `span_name`. */
  name: string;
  config: string;
  monotonicToWallNs: (monotonicNs: bigint) => bigint;
  /** Wall clock now, for records without a `span_monotonic_timestamp_ns`. */
  nowNs: () => bigint;
}

export const CONFIG_ATTRIBUTE = 'ebpf_exporter.config';

const ID_HEX_DIGITS = { trace_id: 32, parent_span_id: 16, span_id: 16 } as const;

function id(label: keyof typeof ID_HEX_DIGITS, value: string): string | undefined {
  const digits = ID_HEX_DIGITS[label];
  if (value.length !== digits || !/^[0-9a-f]+$/.test(value)) {
    throw new Error(`label ${label} must decode to ${digits} hex digits (${digits / 2} bytes and the hex decoder), got ${JSON.stringify(value)}`);
  }
  return /^0+$/.test(value) ? undefined : value;
}

function nanoseconds(label: string, value: string): bigint {
  if (!/^\d+$/.test(value)) throw new Error(`label ${label} must decode to an unsigned integer (the uint decoder), got ${JSON.stringify(value)}`);
  return BigInt(value);
}

/** @throws Error naming the label when a special label does not decode to what it must be. */
export function spanFromRecord(record: DecodedRecord, context: SpanRecordContext): SpanRecord {
  const span: SpanRecord = { name: context.name, startNs: -1n, durationNs: 0n, attributes: {} };
  record.labelNames.forEach((label, index) => {
    const value = record.labelValues[index] as string;
    switch (label) {
      case 'trace_id':
        span.traceId = id(label, value);
        break;
      case 'parent_span_id':
        span.parentSpanId = id(label, value);
        break;
      case 'span_id':
        span.spanId = id(label, value);
        break;
      case 'span_monotonic_timestamp_ns':
        span.startNs = context.monotonicToWallNs(nanoseconds(label, value));
        break;
      case 'span_duration_ns':
        span.durationNs = nanoseconds(label, value);
        break;
      case 'span_name':
        span.name = value;
        break;
      default:
        span.attributes[label] = value;
    }
  });
  if (span.startNs < 0n) span.startNs = context.nowNs();
  span.attributes[CONFIG_ATTRIBUTE] = context.config;
  return span;
}
