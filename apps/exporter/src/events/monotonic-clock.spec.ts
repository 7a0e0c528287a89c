import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MonotonicToWallClock } from './monotonic-clock';

describe('MonotonicToWallClock', () => {
  it('turns a CLOCK_MONOTONIC reading into the wall clock time of that moment', () => {
    const clock = new MonotonicToWallClock();
    const before = BigInt(Date.now()) * 1_000_000n;
    const wall = clock.toWallNs(process.hrtime.bigint());
    const after = BigInt(Date.now() + 1) * 1_000_000n;
    expect(wall >= before && wall <= after).toBe(true);
  });

  it('uses the kernel clock that bpf_ktime_get_ns reads: boot time is uptime ago', () => {
    const clock = new MonotonicToWallClock();
    // /proc/uptime is CLOCK_BOOTTIME, which only differs from CLOCK_MONOTONIC by time spent suspended.
    const uptimeNs = BigInt(Math.round(Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]) * 1e9));
    const bootFromUptime = BigInt(Date.now()) * 1_000_000n - uptimeNs;
    const bootFromClock = clock.toWallNs(0n);
    expect(Number(bootFromClock - bootFromUptime) / 1e9).toBeGreaterThanOrEqual(-0.05);
    expect(Number(bootFromClock - bootFromUptime) / 1e9).toBeLessThan(60);
  });
});
