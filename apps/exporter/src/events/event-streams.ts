// Records that BPF programs push to user space: perf_event_array counters (families for the Scraper) and
// ring buffer spans (sent to OpenTelemetry). Nothing is opened before start(), so --config.check, which
// never calls it, reads no events and sets up no tracing.
import type { DecoderRegistry, MetricFamily } from '@ebpf-exporter/metrics';
import type { AttachedConfig } from '../bpf-runtime';
import type { Logger } from '../logger';
import type { FamilySource } from '../scraper';
import { PerfEventCounters, type DecoderErrorSink } from './perf-event-counters';
import { SpanStreams } from './span-streams';

export class EventStreams implements FamilySource {
  private readonly counters: PerfEventCounters;
  private readonly spans: SpanStreams;

  constructor(attached: readonly AttachedConfig[], decoders: DecoderRegistry, log: Logger) {
    this.counters = new PerfEventCounters(attached, decoders);
    this.spans = new SpanStreams(attached, decoders, log);
  }

  /** @param onDecoderError counts a record that failed to decode against its config. */
  start(onDecoderError: DecoderErrorSink): void {
    this.counters.start(onDecoderError);
    this.spans.start(onDecoderError);
  }

  async families(): Promise<MetricFamily[]> {
    return [...this.counters.families(), ...this.spans.families()];
  }

  /** Stops both kinds of streams and flushes the spans not yet exported. */
  async close(): Promise<void> {
    this.counters.close();
    await this.spans.close();
  }
}
