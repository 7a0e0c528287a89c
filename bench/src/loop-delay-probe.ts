// Preloaded into the exporter under test (`node --import`), never shipped with it: measures the longest
// event-loop delay between a `reset` and a `report` sent by the benchmark over the IPC channel, and runs a
// full garbage collection on request. Keeping this
// out of the exporter means production serves no extra endpoint or metric for it, and the exporter code
// measured is byte for byte the one users run. Built to bench/build/loop-delay-probe.mjs (plain JS, so the
// exporter's memory is not inflated by a TypeScript loader).
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Timer period of the monitor: a stall shows up as lateness beyond this. */
const RESOLUTION_MS = 5;

export type ProbeRequest = 'loop-delay:reset' | 'loop-delay:report' | 'gc';
export interface LoopDelayReport {
  type: 'loop-delay';
  /** Longest delay of the event loop beyond the monitor's own timer period, since the last reset. */
  maxMs: number;
}

const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
histogram.enable();

process.on('message', (message: ProbeRequest) => {
  if (message === 'loop-delay:reset') {
    histogram.reset();
    process.send?.({ type: 'loop-delay:reset' });
  } else if (message === 'loop-delay:report') {
    const maxMs = histogram.count === 0 ? 0 : Math.max(0, histogram.max / 1e6 - RESOLUTION_MS);
    process.send?.({ type: 'loop-delay', maxMs } satisfies LoopDelayReport);
  } else if (message === 'gc') {
    // Only with --expose-gc (the memory soak starts the exporter so): tells retained memory from garbage
    // the collector simply has not reclaimed yet.
    (globalThis as { gc?: () => void }).gc?.();
    process.send?.({ type: 'gc' });
  }
});
