import { describe, expect, it } from 'vitest';
import { TimeSlicer } from './time-slice';

function countingTurns() {
  const counter = { turns: 0, turn: async () => void counter.turns++ };
  return counter;
}

describe('TimeSlicer', () => {
  it('takes no turn while the slice has time left', async () => {
    const counter = countingTurns();
    const slicer = new TimeSlicer(60_000, counter.turn);
    for (let i = 0; i < 100; i++) await slicer.pause();
    expect(counter.turns).toBe(0);
  });

  it('takes a turn once the slice is used up, then starts a new slice', async () => {
    const counter = countingTurns();
    const slicer = new TimeSlicer(50, counter.turn);
    await slicer.pause();
    expect(counter.turns).toBe(0);
    const busyUntil = performance.now() + 55;
    while (performance.now() < busyUntil) {
      // work that uses up the slice
    }
    await slicer.pause();
    expect(counter.turns).toBe(1);
    await slicer.pause();
    expect(counter.turns).toBe(1);
  });
});
