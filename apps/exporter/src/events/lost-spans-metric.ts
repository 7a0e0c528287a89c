// The lost-spans counter's name, on its own: the family-name checks need it at every startup, and importing
// it from span-streams would load OpenTelemetry and gRPC (~1.5 MB of bundle) for configs without spans.
export const LOST_SPANS_METRIC = 'ebpf_exporter_tracing_lost_spans_total';
