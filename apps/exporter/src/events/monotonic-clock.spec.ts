import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MonotonicToWallClock } from './monotonic-clock';

describe('MonotonicToWallClock', () => {
  it('turns a CLOCK_MONOTONIC reading into the wall clock time of that moment', () => {
    const clock = new MonotonicToWallClock();
    const before = BigInt(Date.now()) * 1_000_000n;
    const wall = clock.toWallNs(process.hrtime.bigint());
    const after = BigInt(Date.now() + 1) * 1_000_000n;
    // Date.now() only resolves milliseconds, and a loaded machine can preempt the test between two reads.
    const slack = 2_000_000n;
    expect(wall >= before - slack && wall <= after + slack, `${wall} not within [${before}, ${after}] ± ${slack} ns`).toBe(true);
  });

  it('reads the kernel clock that bpf_ktime_get_ns reads (CLOCK_MONOTONIC, shown by /proc/timer_list)', () => {
    const before = process.hrtime.bigint();
    const kernelNow = BigInt(/^now at (\d+) nsecs$/m.exec(readFileSync('/proc/timer_list', 'utf8'))?.[1] ?? '-1');
    const after = process.hrtime.bigint();
    expect(kernelNow >= before && kernelNow <= after).toBe(true);
  });
});
