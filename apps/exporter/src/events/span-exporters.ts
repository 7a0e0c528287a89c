// Where spans go, chosen by the standard OpenTelemetry environment variables as Go's autoexport (which
// upstream uses) chooses: OTEL_TRACES_EXPORTER (otlp by default, console, none; comma separated) and
// OTEL_EXPORTER_OTLP_TRACES_PROTOCOL / OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf by default, http/json,
// grpc). Endpoints, headers, timeouts and TLS files are read by the OTLP exporters themselves.
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ConsoleSpanExporter, type SpanExporter } from '@opentelemetry/sdk-trace-base';

const OTLP_PROTOCOLS: Record<string, () => SpanExporter> = {
  'http/protobuf': () => new ProtobufTraceExporter(),
  'http/json': () => new JsonTraceExporter(),
  grpc: () => new GrpcTraceExporter(),
};

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

/**
 * New span exporters for one tracer provider (each provider shuts its exporters down, so none are shared).
 * @throws Error naming the variable when a value is not one of the known ones.
 */
export function spanExportersFromEnv(env: NodeJS.ProcessEnv = process.env): SpanExporter[] {
  const names = (envValue(env, 'OTEL_TRACES_EXPORTER') ?? 'otlp').split(',').map((name) => name.trim());
  if (names.includes('none')) return [];
  return names.map((name) => {
    if (name === 'console') return new ConsoleSpanExporter();
    if (name !== 'otlp') throw new Error(`OTEL_TRACES_EXPORTER: unknown exporter ${JSON.stringify(name)} (one of otlp, console, none)`);
    const variable = envValue(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') !== undefined ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
    const protocol = envValue(env, variable) ?? 'http/protobuf';
    const create = OTLP_PROTOCOLS[protocol];
    if (!create) throw new Error(`${variable}: unknown protocol ${JSON.stringify(protocol)} (one of ${Object.keys(OTLP_PROTOCOLS).join(', ')})`);
    return create();
  });
}
