import { describe, expect, it } from 'vitest';
import { deaccumulate, formatLe, matrixFromJson, matrixToJson, parseLe } from './buckets';

describe('deaccumulate', () => {
  it('turns cumulative `le` counts into per-bucket counts', () => {
    expect(deaccumulate([0, 3, 10, 10, 42, 50])).toEqual([0, 3, 7, 0, 32, 8]);
  });
  it('draws a decrease between neighbouring bounds (rate noise) as zero and keeps the running maximum', () => {
    expect(deaccumulate([5, 3, 9])).toEqual([5, 0, 4]);
  });
  it('keeps missing values missing without breaking the buckets after them', () => {
    expect(deaccumulate([1, null, 4, Number.NaN, 6])).toEqual([1, null, 3, null, 2]);
  });
});

describe('le labels', () => {
  it('parses the infinite bounds Prometheus writes and formats them back', () => {
    expect(parseLe('+Inf')).toBe(Number.POSITIVE_INFINITY);
    expect(parseLe('-Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseLe('1e-06')).toBe(0.000001);
    expect([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.000128].map(formatLe)).toEqual(['+Inf', '-Inf', '0.000128']);
  });
  it('carries +Inf through the JSON wire format', () => {
    const matrix = { times: [1, 2], upperBounds: [1, Number.POSITIVE_INFINITY], cumulativeRates: [[1, null], [2, 3]] };
    const wire = JSON.parse(JSON.stringify(matrixToJson(matrix)));
    expect(wire.le).toEqual(['1', '+Inf']);
    expect(matrixFromJson(wire)).toEqual(matrix);
  });
});
