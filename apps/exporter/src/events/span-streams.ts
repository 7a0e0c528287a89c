// tracing.spans: every record of a span's ring buffer is decoded (uncached, as upstream) and becomes an
// OpenTelemetry span, exported to wherever the OTEL_* environment variables say.
import type { EventBuffer } from '@ebpf-exporter/bpf-native';
import { decodeRecord, SKIP, type DecoderRegistry, type MetricFamily, type SpanConfig } from '@ebpf-exporter/metrics';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import type { AttachedConfig } from '../bpf-runtime';
import { LOST_SPANS_METRIC } from './lost-spans-metric';
import type { Logger } from '../logger';
import { MonotonicToWallClock } from './monotonic-clock';
import type { DecoderErrorSink } from './perf-event-counters';
import { SpanEmitter } from './span-emitter';
import { spanExportersFromEnv } from './span-exporters';
import { spanFromRecord } from './span-record';

/** Upstream sets OTEL_SERVICE_NAME to this when it is unset. */
export const DEFAULT_SERVICE_NAME = 'ebpf_exporter';

interface SpanStream {
  attached: AttachedConfig;
  index: number;
  span: SpanConfig;
  service: string;
  /** Records read from the ring buffer but dropped because JS fell behind. */
  lost: number;
}

export class SpanStreams {
  /** By attached config: its spans and the ring buffers reading them. */
  private readonly configs = new Map<AttachedConfig, { streams: SpanStream[]; buffers: EventBuffer[] }>();
  private readonly clock = new MonotonicToWallClock();
  private readonly emitter: SpanEmitter;
  private readonly defaultService: string;

  /** Tracer providers are created per service as configs with spans start. */
  constructor(
    private readonly decoders: DecoderRegistry,
    private readonly log: Logger,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const warn = (message: string): void => log.warn(`OpenTelemetry: ${message}`);
    this.defaultService = env.OTEL_SERVICE_NAME || DEFAULT_SERVICE_NAME;
    this.emitter = new SpanEmitter(() => spanExportersFromEnv(env));
    // Export failures (collector down, bad endpoint) go to the SDK's error handler, which would print them
    // as JSON with a stack; one line each, like upstream's Go SDK prints them, is what operators need.
    setGlobalErrorHandler((error) => warn(error instanceof Error ? error.message : String(error)));
    diag.setLogger({ error: warn, warn, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
  }

  /**
   * Opens the ring buffers of one config's spans, whose maps EventStreams.check has checked. Their services'
   * tracer providers are created first, so bad exporter settings fail here. @throws Error on bad OTEL_* variables.
   */
  start(attached: AttachedConfig, onDecoderError: DecoderErrorSink): void {
    const { config, object } = attached;
    const streams = config.tracing.spans.map((span, index) => ({ attached, index, span, service: span.service ?? this.defaultService, lost: 0 }));
    if (streams.length === 0) return;
    for (const stream of streams) this.emitter.tracer(stream.service);
    const buffers: EventBuffer[] = [];
    try {
      for (const stream of streams) {
        const onRecord = (record: Uint8Array): void => {
          try {
            const decoded = decodeRecord(this.decoders, stream.span.labels, record);
            if (decoded === SKIP) return;
            const span = spanFromRecord(decoded, {
              name: stream.span.name,
              config: config.name,
              monotonicToWallNs: (ns) => this.clock.toWallNs(ns),
              nowNs: () => this.clock.nowNs(),
            });
            this.emitter.emit(stream.service, span);
          } catch (error) {
            onDecoderError(config.name, error instanceof Error ? error : new Error(String(error)));
          }
        };
        buffers.push(object.openRingBuffer(stream.span.ringbuf, onRecord, (count) => (stream.lost += count)));
      }
    } catch (error) {
      for (const buffer of buffers) buffer.close();
      throw error;
    }
    this.configs.set(attached, { streams, buffers });
  }

  /** Stops reading one config's ring buffers; spans already read are still exported. */
  stop(attached: AttachedConfig): void {
    const spans = this.configs.get(attached);
    if (spans === undefined) return;
    this.configs.delete(attached);
    for (const buffer of spans.buffers) buffer.close();
  }

  /** Upstream has no such metric; without it spans dropped under load would go unnoticed. */
  families(): MetricFamily[] {
    const streams = [...this.configs.values()].flatMap((spans) => spans.streams);
    if (streams.length === 0) return [];
    return [
      {
        name: LOST_SPANS_METRIC,
        help: 'Span records read from a ring buffer but dropped because the exporter fell behind',
        type: 'counter',
        series: streams.map((stream) => ({
          labelNames: ['config', 'span'],
          labelValues: [stream.attached.config.name, stream.span.name],
          value: stream.lost,
        })),
      },
    ];
  }

  /** Stops reading and sends every span still queued; a failed export is logged, shutdown goes on. */
  async close(): Promise<void> {
    for (const attached of [...this.configs.keys()]) this.stop(attached);
    try {
      await this.emitter.shutdown();
    } catch (error) {
      this.log.warn(`OpenTelemetry: spans lost at shutdown: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
