// Records that BPF programs push to user space: perf_event_array counters (families for the Scraper) and
// ring buffer spans (sent to OpenTelemetry). Nothing is opened before start(), so --config.check, which
// never calls it, reads no events and sets up no tracing. The OpenTelemetry SDK is only loaded when a config
// has spans: loading it (with its gRPC, HTTP and protobuf exporters) costs ~17 MB of RSS for nothing else.
import type { DecoderRegistry, MetricFamily } from '@ebpf-exporter/metrics';
import type { AttachedConfig } from '../bpf-runtime';
import type { Logger } from '../logger';
import type { FamilySource } from '../scraper';
import { PerfEventCounters, type DecoderErrorSink } from './perf-event-counters';
import type { SpanStreams } from './span-streams';

export class EventStreams implements FamilySource {
  private constructor(
    private readonly counters: PerfEventCounters,
    private readonly spans: SpanStreams | undefined,
  ) {}

  /** @throws Error on bad OTEL_* variables (only when a config has spans). */
  static async create(attached: readonly AttachedConfig[], decoders: DecoderRegistry, log: Logger): Promise<EventStreams> {
    const hasSpans = attached.some((entry) => entry.config.tracing.spans.length > 0);
    const spans = hasSpans ? new (await import('./span-streams')).SpanStreams(attached, decoders, log) : undefined;
    return new EventStreams(new PerfEventCounters(attached, decoders), spans);
  }

  /** @param onDecoderError counts a record that failed to decode against its config. */
  start(onDecoderError: DecoderErrorSink): void {
    this.counters.start(onDecoderError);
    this.spans?.start(onDecoderError);
  }

  async families(): Promise<MetricFamily[]> {
    return [...this.counters.families(), ...(this.spans?.families() ?? [])];
  }

  /** Stops both kinds of streams and flushes the spans not yet exported. */
  async close(): Promise<void> {
    this.counters.close();
    await this.spans?.close();
  }
}
