import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration';

describe('durations', () => {
  it('reads plain seconds and Prometheus-style units', () => {
    expect(parseDuration('120')).toBe(120);
    expect(parseDuration('15m')).toBe(900);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('2d')).toBe(172800);
    expect(parseDuration('0.5')).toBe(0.5);
  });
  it('refuses anything else', () => {
    for (const text of ['', 'abc', '15 minutes', '-5', '1x', 'm']) expect(parseDuration(text), text).toBeUndefined();
  });
  it('labels durations the way the controls show them', () => {
    expect([5, 90, 900, 3600, 5400, 86400].map(formatDuration)).toEqual(['5 s', '90 s', '15 min', '1 h', '1 h 30 min', '24 h']);
  });
});
