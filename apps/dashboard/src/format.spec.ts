import { describe, expect, it } from 'vitest';
import { formatValue } from './format';

describe('formatValue', () => {
  it('scales seconds, rates and bytes with SI prefixes', () => {
    expect(formatValue(0.000128, 's')).toBe('128 µs');
    expect(formatValue(1.5, 's')).toBe('1.5 s');
    expect(formatValue(2500, '/s')).toBe('2.5k/s');
    expect(formatValue(4096, 'bytes')).toBe('4.1 kB');
    expect(formatValue(Number.POSITIVE_INFINITY, 's')).toBe('+Inf');
    expect(formatValue(0, '')).toBe('0');
  });
});
