// BPF programs stamp events with bpf_ktime_get_ns(), CLOCK_MONOTONIC; spans need wall clock time. The
// offset between the two clocks is measured at the edge of a Date.now() millisecond, which puts it within
// microseconds rather than the millisecond Date.now() resolves, so the spans of one trace line up.
// process.hrtime reads CLOCK_MONOTONIC on Linux (libuv's uv_hrtime), the same clock the kernel uses.

/** How long an offset is trusted: NTP may slew the wall clock meanwhile. */
const RECALIBRATE_AFTER_MS = 10_000;
/** Spins for at most this long, once every RECALIBRATE_AFTER_MS. */
const MAX_CALIBRATION_MS = 5;
const EDGE_PRECISION_NS = 20_000n;

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
    // The millisecond edge is seen between two reads of the monotonic clock; a pair further apart than
    // EDGE_PRECISION_NS (the thread was preempted in between) is not trusted and the next edge is used.
    const deadline = Date.now() + MAX_CALIBRATION_MS;
    let last = Date.now();
    let before = process.hrtime.bigint();
    for (;;) {
      const now = Date.now();
      const after = process.hrtime.bigint();
      if (now !== last && (after - before <= EDGE_PRECISION_NS || now >= deadline)) {
        this.offsetNs = BigInt(now) * 1_000_000n - (before + (after - before) / 2n);
        break;
      }
      last = now;
      before = after;
    }
    this.calibratedAtMs = performance.now();
  }
}
