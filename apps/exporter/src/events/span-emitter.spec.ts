import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { SpanEmitter } from './span-emitter';
import type { SpanRecord } from './span-record';

// The SDK's in-memory exporter forgets its spans on shutdown; this one keeps them so a test can look at
// what a shutdown flushed.
class KeepingExporter extends InMemorySpanExporter {
  override shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const START_NS = 1_764_000_000_123_456_789n;

function record(overrides: Partial<SpanRecord>): SpanRecord {
  return { name: 'exec', startNs: START_NS, durationNs: 1_500_000n, attributes: { 'ebpf_exporter.config': 'exec-trace' }, ...overrides };
}

async function emitted(emit: (emitter: SpanEmitter) => void): Promise<ReadableSpan[]> {
  const exporters: KeepingExporter[] = [];
  const emitter = new SpanEmitter(() => {
    const exporter = new KeepingExporter();
    exporters.push(exporter);
    return [exporter];
  });
  emit(emitter);
  await emitter.shutdown();
  return exporters.flatMap((exporter) => exporter.getFinishedSpans());
}

describe('SpanEmitter', () => {
  it('keeps the ids, times and attributes of the record, and links children to their parent', async () => {
    const spans = await emitted((emitter) => {
      emitter.emit('exec-trace', record({ name: 'bash', traceId: TRACE, spanId: '00f067aa0ba902b7' }));
      emitter.emit('exec-trace', record({ name: 'sleep', traceId: TRACE, parentSpanId: '00f067aa0ba902b7', spanId: 'b7ad6b7169203331' }));
    });
    const [parent, child] = spans;
    expect(parent?.spanContext()).toMatchObject({ traceId: TRACE, spanId: '00f067aa0ba902b7' });
    expect(parent?.parentSpanContext).toBeUndefined();
    expect(child?.spanContext()).toMatchObject({ traceId: TRACE, spanId: 'b7ad6b7169203331' });
    expect(child?.parentSpanContext).toMatchObject({ traceId: TRACE, spanId: '00f067aa0ba902b7' });
    expect(child?.name).toBe('sleep');
    expect(child?.startTime).toEqual([1_764_000_000, 123_456_789]);
    expect(child?.endTime).toEqual([1_764_000_000, 124_956_789]);
    expect(child?.attributes).toEqual({ 'ebpf_exporter.config': 'exec-trace' });
    expect(child?.resource.attributes['service.name']).toBe('exec-trace');
  });

  it('generates the ids a record does not bring', async () => {
    const spans = await emitted((emitter) => {
      emitter.emit('svc', record({}));
      emitter.emit('svc', record({ traceId: TRACE }));
    });
    expect(spans[0]?.spanContext().traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(spans[0]?.spanContext().traceId).not.toBe(TRACE);
    expect(spans[1]?.spanContext()).toMatchObject({ traceId: TRACE, spanId: expect.stringMatching(/^[0-9a-f]{16}$/) });
  });

  it('has one provider, and so one service name, per service', async () => {
    const spans = await emitted((emitter) => {
      emitter.emit('first', record({ name: 'a' }));
      emitter.emit('second', record({ name: 'b' }));
      emitter.emit('first', record({ name: 'c' }));
    });
    const services = Object.fromEntries(spans.map((span) => [span.name, span.resource.attributes['service.name']]));
    expect(services).toEqual({ a: 'first', b: 'second', c: 'first' });
  });
});
