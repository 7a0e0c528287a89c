// tracing.spans: every record of a span's ring buffer is decoded (uncached, as upstream) and becomes an
// OpenTelemetry span, exported to wherever the OTEL_* environment variables say.
import type { EventBuffer } from '@ebpf-exporter/bpf-native';
import { decodeRecord, SKIP, type DecoderRegistry, type MetricFamily, type SpanConfig } from '@ebpf-exporter/metrics';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import type { AttachedConfig } from '../bpf-runtime';
import { StartupError } from '../config-loader';
import type { Logger } from '../logger';
import { MonotonicToWallClock } from './monotonic-clock';
import type { DecoderErrorSink } from './perf-event-counters';
import { SpanEmitter } from './span-emitter';
import { spanExportersFromEnv } from './span-exporters';
import { spanFromRecord } from './span-record';

/** Upstream sets OTEL_SERVICE_NAME to this when it is unset. */
export const DEFAULT_SERVICE_NAME = 'ebpf_exporter';

export const LOST_SPANS_METRIC = 'ebpf_exporter_tracing_lost_spans_total';

interface SpanStream {
  attached: AttachedConfig;
  index: number;
  span: SpanConfig;
  service: string;
  /** Records read from the ring buffer but dropped because JS fell behind. */
  lost: number;
}

export class SpanStreams {
  private readonly streams: SpanStream[];
  private readonly buffers: EventBuffer[] = [];
  private readonly clock = new MonotonicToWallClock();
  private readonly emitter: SpanEmitter;

  /** Creates a tracer provider per service, none when no config has spans. @throws Error on bad OTEL_* variables. */
  constructor(
    attached: readonly AttachedConfig[],
    private readonly decoders: DecoderRegistry,
    private readonly log: Logger,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const warn = (message: string): void => log.warn(`OpenTelemetry: ${message}`);
    const defaultService = env.OTEL_SERVICE_NAME || DEFAULT_SERVICE_NAME;
    this.emitter = new SpanEmitter(() => spanExportersFromEnv(env));
    this.streams = attached.flatMap((entry) =>
      entry.config.tracing.spans.map((span, index) => ({ attached: entry, index, span, service: span.service ?? defaultService, lost: 0 })),
    );
    if (this.streams.length === 0) return;
    // Export failures (collector down, bad endpoint) go to the SDK's error handler, which would print them
    // as JSON with a stack; one line each, like upstream's Go SDK prints them, is what operators need.
    setGlobalErrorHandler((error) => warn(error instanceof Error ? error.message : String(error)));
    diag.setLogger({ error: warn, warn, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
    for (const stream of this.streams) this.emitter.tracer(stream.service);
  }

  /** Opens the ring buffers. */
  start(onDecoderError: DecoderErrorSink): void {
    for (const stream of this.streams) {
      const { config, object } = stream.attached;
      const map = object.maps().find((info) => info.name === stream.span.ringbuf);
      if (map?.type !== 'ringbuf') {
        const { line, column } = stream.span.position;
        throw new StartupError(
          `${config.file}:${line}:${column}: tracing.spans[${stream.index}].ringbuf: map ${JSON.stringify(stream.span.ringbuf)} is a ${map?.type ?? 'missing'} map, not a ringbuf`,
        );
      }
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
      this.buffers.push(object.openRingBuffer(stream.span.ringbuf, onRecord, (count) => (stream.lost += count)));
    }
  }

  /** Upstream has no such metric; without it spans dropped under load would go unnoticed. */
  families(): MetricFamily[] {
    if (this.streams.length === 0) return [];
    return [
      {
        name: LOST_SPANS_METRIC,
        help: 'Span records read from a ring buffer but dropped because the exporter fell behind',
        type: 'counter',
        series: this.streams.map((stream) => ({
          labelNames: ['config', 'span'],
          labelValues: [stream.attached.config.name, stream.span.name],
          value: stream.lost,
        })),
      },
    ];
  }

  /** Stops reading and sends every span still queued; a failed export is logged, shutdown goes on. */
  async close(): Promise<void> {
    for (const buffer of this.buffers.splice(0)) buffer.close();
    try {
      await this.emitter.shutdown();
    } catch (error) {
      this.log.warn(`OpenTelemetry: spans lost at shutdown: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
