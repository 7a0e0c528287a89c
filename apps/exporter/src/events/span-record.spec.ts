import { describe, expect, it } from 'vitest';
import { CONFIG_ATTRIBUTE, spanFromRecord, type SpanRecordContext } from './span-record';

const context: SpanRecordContext = {
  name: 'exec',
  config: 'exec-trace',
  monotonicToWallNs: (ns) => ns + 1_000_000_000_000n,
  nowNs: () => 42n,
};

const TRACE = '0af7651916cd43dd8448eb211c80319c';

function decoded(labels: Record<string, string>) {
  const names = Object.keys(labels).sort();
  return { labelNames: names, labelValues: names.map((name) => labels[name] as string) };
}

describe('spanFromRecord', () => {
  it('maps the special labels to ids, times and the name, and the rest to attributes', () => {
    const span = spanFromRecord(
      decoded({
        trace_id: TRACE,
        parent_span_id: 'b7ad6b7169203331',
        span_id: '00f067aa0ba902b7',
        span_monotonic_timestamp_ns: '5000',
        span_duration_ns: '250',
        span_name: 'sleep',
        pid: '1234',
      }),
      context,
    );
    expect(span).toEqual({
      name: 'sleep',
      traceId: TRACE,
      parentSpanId: 'b7ad6b7169203331',
      spanId: '00f067aa0ba902b7',
      startNs: 1_000_000_005_000n,
      durationNs: 250n,
      attributes: { pid: '1234', [CONFIG_ATTRIBUTE]: 'exec-trace' },
    });
  });

  it('treats all-zero ids as absent and defaults the name, start and duration', () => {
    const span = spanFromRecord(decoded({ trace_id: '0'.repeat(32), parent_span_id: '0'.repeat(16), span_id: '0'.repeat(16) }), context);
    expect(span).toEqual({ name: 'exec', startNs: 42n, durationNs: 0n, attributes: { [CONFIG_ATTRIBUTE]: 'exec-trace' } });
  });

  it('names the label that did not decode to an id or a number', () => {
    expect(() => spanFromRecord(decoded({ trace_id: 'abc' }), context)).toThrow(/label trace_id must decode to 32 hex digits .* got "abc"/);
    expect(() => spanFromRecord(decoded({ span_id: '00F067AA0BA902B7' }), context)).toThrow(/label span_id/);
    expect(() => spanFromRecord(decoded({ span_duration_ns: '-1' }), context)).toThrow(/label span_duration_ns must decode to an unsigned integer/);
  });
});
