import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { repeatEvery } from './repeat-every';

const DAY_MS = 24 * 3600 * 1000;

describe('repeatEvery', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('ticks once per period until cancelled', () => {
    const tick = vi.fn();
    const repeating = repeatEvery(1000, tick, () => Date.now());
    vi.advanceTimersByTime(999);
    expect(tick).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2001);
    expect(tick).toHaveBeenCalledTimes(3);
    repeating.cancel();
    vi.advanceTimersByTime(5000);
    expect(tick).toHaveBeenCalledTimes(3);
  });

  it('keeps periods longer than a Node timer can hold (30 days)', () => {
    const tick = vi.fn();
    repeatEvery(30 * DAY_MS, tick, () => Date.now());
    vi.advanceTimersByTime(29 * DAY_MS);
    expect(tick).not.toHaveBeenCalled();
    vi.advanceTimersByTime(DAY_MS);
    expect(tick).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(30 * DAY_MS);
    expect(tick).toHaveBeenCalledTimes(2);
  });
});
