// Turns span records into OpenTelemetry spans: one tracer provider per service name (the service is a
// resource attribute, fixed per provider, as upstream), always sampled, exported in batches, with the ids
// the BPF program chose.
import { ROOT_CONTEXT, trace, TraceFlags, type HrTime, type Tracer } from '@opentelemetry/api';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { PredeterminedIdGenerator } from './predetermined-id-generator';
import type { SpanRecord } from './span-record';

const INSTRUMENTATION_SCOPE = 'ebpf_exporter';

const hrTime = (ns: bigint): HrTime => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];

export class SpanEmitter {
  private readonly providers = new Map<string, BasicTracerProvider>();
  private readonly tracers = new Map<string, Tracer>();
  private readonly ids = new PredeterminedIdGenerator();

  /** @param createExporters new exporters for each provider, since a provider shuts its exporters down. */
  constructor(private readonly createExporters: () => SpanExporter[]) {}

  /** Creates the provider of a service ahead of the first span, so bad exporter settings fail at startup. */
  tracer(service: string): Tracer {
    let tracer = this.tracers.get(service);
    if (!tracer) {
      const provider = new BasicTracerProvider({
        // OTEL_RESOURCE_ATTRIBUTES is honoured; the span config's service wins over any service.name in it.
        resource: defaultResource()
          .merge(detectResources({ detectors: [envDetector] }))
          .merge(resourceFromAttributes({ 'service.name': service })),
        idGenerator: this.ids,
        sampler: new AlwaysOnSampler(),
        spanProcessors: this.createExporters().map((exporter) => new BatchSpanProcessor(exporter)),
      });
      tracer = provider.getTracer(INSTRUMENTATION_SCOPE);
      this.providers.set(service, provider);
      this.tracers.set(service, tracer);
    }
    return tracer;
  }

  emit(service: string, span: SpanRecord): void {
    const tracer = this.tracer(service);
    const parent =
      span.traceId && span.parentSpanId
        ? trace.setSpanContext(ROOT_CONTEXT, { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: true })
        : ROOT_CONTEXT;
    const started = this.ids.withIds({ traceId: span.traceId, spanId: span.spanId }, () =>
      tracer.startSpan(span.name, { startTime: hrTime(span.startNs), attributes: span.attributes }, parent),
    );
    started.end(hrTime(span.startNs + span.durationNs));
  }

  /** Exports every span still queued, then stops the providers; rejects when an export failed. */
  async shutdown(): Promise<void> {
    const providers = [...this.providers.values()];
    this.providers.clear();
    this.tracers.clear();
    await Promise.all(providers.map((provider) => provider.shutdown()));
  }
}
