// The SDK asks its IdGenerator for a span id (and a trace id for a root span) while it starts a span, with
// no way to pass ids in. Records bring their own ids, so this generator hands out the ids set for the span
// being started, and random ones when a record has none.
import { RandomIdGenerator, type IdGenerator } from '@opentelemetry/sdk-trace-base';

export interface PresetIds {
  traceId?: string;
  spanId?: string;
}

export class PredeterminedIdGenerator implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  private preset: PresetIds = {};

  /** Runs `start` (which must start exactly one span, synchronously) with these ids in place. */
  withIds<T>(ids: PresetIds, start: () => T): T {
    this.preset = ids;
    try {
      return start();
    } finally {
      this.preset = {};
    }
  }

  generateTraceId(): string {
    return this.preset.traceId ?? this.random.generateTraceId();
  }

  generateSpanId(): string {
    return this.preset.spanId ?? this.random.generateSpanId();
  }
}
