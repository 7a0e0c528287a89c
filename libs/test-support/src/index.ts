// Helpers shared by the end-to-end tests that run the exporter as a real process (exporter, packaging,
// bench): a free loopback port to listen on, a reader for the samples it serves, and the programs the kernel holds.
export { freePort } from './free-port';
export { parseSamples, type Sample } from './exposition-samples';
export { bpftoolJson, loadedProgramIds, programsStillLoaded } from './bpf-programs';
