// BPF programs stamp events with bpf_ktime_get_ns(), CLOCK_MONOTONIC; spans need wall clock time. The
// offset between the two clocks is measured at the edge of a Date.now() millisecond, which puts it within
// microseconds rather than the millisecond Date.now() resolves, so the spans of one trace line up.
// process.hrtime reads CLOCK_MONOTONIC on Linux (libuv's uv_hrtime), the same clock the kernel uses.

/** How long an offset is trusted: NTP may slew the wall clock meanwhile. */
const RECALIBRATE_AFTER_MS = 10_000;

export class MonotonicToWallClock {
  private offsetNs = 0n;
  private calibratedAtMs = -Infinity;

  toWallNs(monotonicNs: bigint): bigint {
    if (performance.now() - this.calibratedAtMs > RECALIBRATE_AFTER_MS) this.calibrate();
    return monotonicNs + this.offsetNs;
  }

  nowNs(): bigint {
    return this.toWallNs(process.hrtime.bigint());
  }

  private calibrate(): void {
    const start = Date.now();
    let now = start;
    // Spins for at most one millisecond, once every RECALIBRATE_AFTER_MS.
    while (now === start) now = Date.now();
    this.offsetNs = BigInt(now) * 1_000_000n - process.hrtime.bigint();
    this.calibratedAtMs = performance.now();
  }
}
