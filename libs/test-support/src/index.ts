// Helpers shared by the tests that run real processes (exporter, dashboard, packaging, bench): a free
// loopback port, the exporter started as users start it, a reader for the samples it serves, the programs
// the kernel holds, and a real Prometheus server.
export { freePort } from './free-port';
export { parseSamples, type Sample } from './exposition-samples';
export { bpftoolJson, loadedProgramIds, programsStillLoaded } from './bpf-programs';
export { LAUNCHER, REPO_ROOT, startExporter, type RunningExporter, type StartOptions } from './exporter-process';
export { startPrometheus, type PrometheusServer } from './prometheus-server';
