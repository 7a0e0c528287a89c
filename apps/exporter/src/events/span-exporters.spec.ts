import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ConsoleSpanExporter } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { spanExportersFromEnv } from './span-exporters';

const kinds = (env: NodeJS.ProcessEnv) => spanExportersFromEnv(env).map((exporter) => exporter.constructor);

describe('spanExportersFromEnv', () => {
  it('defaults to OTLP over HTTP with protobuf, as autoexport does', () => {
    expect(kinds({})).toEqual([ProtobufTraceExporter]);
    expect(kinds({ OTEL_TRACES_EXPORTER: '' })).toEqual([ProtobufTraceExporter]);
  });

  it('picks the OTLP protocol, the traces-specific variable first', () => {
    expect(kinds({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })).toEqual([JsonTraceExporter]);
    expect(kinds({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' })).toEqual([GrpcTraceExporter]);
  });

  it('supports console, several exporters, and none', () => {
    expect(kinds({ OTEL_TRACES_EXPORTER: 'console, otlp' })).toEqual([ConsoleSpanExporter, ProtobufTraceExporter]);
    expect(kinds({ OTEL_TRACES_EXPORTER: 'none' })).toEqual([]);
  });

  it('names the variable with an unknown value', () => {
    expect(() => spanExportersFromEnv({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow('OTEL_TRACES_EXPORTER: unknown exporter "jaeger" (one of otlp, console, none)');
    expect(() => spanExportersFromEnv({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'udp' })).toThrow(
      'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: unknown protocol "udp" (one of http/protobuf, http/json, grpc)',
    );
  });
});
