// Records that BPF programs push to user space: perf_event_array counters (families for the Scraper) and
// ring buffer spans (sent to OpenTelemetry), started and stopped per config so a reload touches only the
// configs it changes. Nothing is opened until a config is started, so --config.check, which starts none,
// reads no events and sets up no tracing. The OpenTelemetry SDK is only loaded once a config has spans:
// loading it (with its gRPC, HTTP and protobuf exporters) costs ~17 MB of RSS for nothing else.
import type { DecoderRegistry, MetricFamily } from '@ebpf-exporter/metrics';
import type { AttachedConfig } from '../bpf-runtime';
import type { Logger } from '../logger';
import type { FamilySource } from '../scraper';
import { checkPerfEventArrayMaps, checkRingbufMaps } from './event-map-checks';
import { PerfEventCounters, type DecoderErrorSink } from './perf-event-counters';
import type { SpanStreams } from './span-streams';

export class EventStreams implements FamilySource {
  private readonly counters: PerfEventCounters;
  private spans: SpanStreams | undefined;

  /** @param onDecoderError counts a record that failed to decode against its config. */
  constructor(
    private readonly decoders: DecoderRegistry,
    private readonly log: Logger,
    private readonly onDecoderError: DecoderErrorSink,
  ) {
    this.counters = new PerfEventCounters(decoders);
  }

  /** Refuses a config whose counters or spans name maps of the wrong type, before anything is opened. */
  static check(attached: AttachedConfig): void {
    checkPerfEventArrayMaps(attached);
    checkRingbufMaps(attached);
  }

  /** Opens one config's perf and ring buffers; on failure nothing of it stays open. @throws Error on bad OTEL_* variables. */
  async start(attached: AttachedConfig): Promise<void> {
    if (attached.config.tracing.spans.length > 0 && this.spans === undefined) {
      this.spans = new (await import('./span-streams')).SpanStreams(this.decoders, this.log);
    }
    this.counters.start(attached, this.onDecoderError);
    try {
      this.spans?.start(attached, this.onDecoderError);
    } catch (error) {
      this.counters.stop(attached);
      throw error;
    }
  }

  /** Closes the buffers `start` opened for this attached config (none: a no-op). */
  stop(attached: AttachedConfig): void {
    this.counters.stop(attached);
    this.spans?.stop(attached);
  }

  async families(): Promise<MetricFamily[]> {
    return [...this.counters.families(), ...(this.spans?.families() ?? [])];
  }

  /** Stops every stream and flushes the spans not yet exported. */
  async close(): Promise<void> {
    this.counters.close();
    await this.spans?.close();
  }
}
