import { describe, expect, it } from 'vitest';
import { parseGoDuration } from './go-duration';

describe('parseGoDuration', () => {
  it.each([
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['90s', 90_000],
    ['300ms', 300],
    ['1500us', 1.5],
    ['2µs', 0.002],
    ['0', 0],
    ['-1m', -60_000],
  ])('parses %s', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 9);
  });

  it.each(['', '1', '1 h', 'h', '1d', '1h-5m'])('rejects %j', (text) => {
    expect(() => parseGoDuration(text)).toThrow(/invalid duration/);
  });
});
