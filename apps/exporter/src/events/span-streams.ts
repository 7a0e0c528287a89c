// tracing.spans: every record of a span's ring buffer becomes an OpenTelemetry span, exported by a batch
// processor to wherever the OTEL_* environment variables say. One tracer provider per service name, as
// upstream: the service is a resource attribute, fixed per provider.
import type { EventBuffer } from '@ebpf-exporter/bpf-native';
import { decodeRecord, SKIP, type DecodedRecord, type DecoderRegistry, type SpanConfig } from '@ebpf-exporter/metrics';
import { ROOT_CONTEXT, trace, TraceFlags, type HrTime, type Tracer } from '@opentelemetry/api';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { AttachedConfig } from '../bpf-runtime';
import { StartupError } from '../config-loader';
import { MonotonicToWallClock } from './monotonic-clock';
import type { DecoderErrorSink } from './perf-event-counters';
import { PredeterminedIdGenerator } from './predetermined-id-generator';
import { spanExportersFromEnv } from './span-exporters';
import { spanFromRecord, type SpanRecord } from './span-record';

/** Upstream sets OTEL_SERVICE_NAME to this when it is unset. */
export const DEFAULT_SERVICE_NAME = 'ebpf_exporter';

const INSTRUMENTATION_SCOPE = 'ebpf_exporter';

const hrTime = (ns: bigint): HrTime => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];

interface SpanStream {
  attached: AttachedConfig;
  index: number;
  span: SpanConfig;
  tracer: Tracer;
}

export class SpanStreams {
  private readonly providers = new Map<string, BasicTracerProvider>();
  private readonly streams: SpanStream[];
  private readonly buffers: EventBuffer[] = [];
  private readonly ids = new PredeterminedIdGenerator();
  private readonly clock = new MonotonicToWallClock();

  /** Sets nothing up when no config has spans. @throws Error on bad OTEL_* variables. */
  constructor(
    attached: readonly AttachedConfig[],
    private readonly decoders: DecoderRegistry,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    const defaultService = env.OTEL_SERVICE_NAME || DEFAULT_SERVICE_NAME;
    this.streams = attached.flatMap((entry) =>
      entry.config.tracing.spans.map((span, index) => ({ attached: entry, index, span, tracer: this.tracerFor(span.service ?? defaultService, env) })),
    );
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
          if (decoded !== SKIP) this.emit(stream.tracer, this.describe(stream, decoded));
        } catch (error) {
          onDecoderError(config.name, error instanceof Error ? error : new Error(String(error)));
        }
      };
      this.buffers.push(object.openRingBuffer(stream.span.ringbuf, onRecord));
    }
  }

  /** Stops reading and sends every span still queued before resolving. */
  async close(): Promise<void> {
    for (const buffer of this.buffers.splice(0)) buffer.close();
    await Promise.all([...this.providers.values()].map((provider) => provider.shutdown()));
    this.providers.clear();
  }

  private tracerFor(service: string, env: NodeJS.ProcessEnv): Tracer {
    let provider = this.providers.get(service);
    if (!provider) {
      provider = new BasicTracerProvider({
        resource: defaultResource()
          .merge(detectResources({ detectors: [envDetector] }))
          .merge(resourceFromAttributes({ 'service.name': service })),
        idGenerator: this.ids,
        sampler: new AlwaysOnSampler(),
        spanProcessors: spanExportersFromEnv(env).map((exporter) => new BatchSpanProcessor(exporter)),
      });
      this.providers.set(service, provider);
    }
    return provider.getTracer(INSTRUMENTATION_SCOPE);
  }

  private describe(stream: SpanStream, decoded: DecodedRecord): SpanRecord {
    return spanFromRecord(decoded, {
      name: stream.span.name,
      config: stream.attached.config.name,
      monotonicToWallNs: (ns) => this.clock.toWallNs(ns),
      nowNs: () => this.clock.nowNs(),
    });
  }

  private emit(tracer: Tracer, span: SpanRecord): void {
    const parent =
      span.traceId && span.parentSpanId
        ? trace.setSpanContext(ROOT_CONTEXT, { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: true })
        : ROOT_CONTEXT;
    const started = this.ids.withIds({ traceId: span.traceId, spanId: span.spanId }, () =>
      tracer.startSpan(span.name, { startTime: hrTime(span.startNs), attributes: span.attributes }, parent),
    );
    started.end(hrTime(span.startNs + span.durationNs));
  }
}
