import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, formatViewState, parseViewState, type ViewState } from './view-state';

describe('view state in the URL', () => {
  it('round-trips every choice, including panel filters and thresholds on dotted panel ids', () => {
    const state: ViewState = {
      range: 3600,
      refresh: 0,
      theme: 'dark',
      color: 'percent',
      prometheus: 'http://prom:9090',
      config: 'biolatency',
      filters: { 'biolatency.bio_latency_seconds': { device: 'sda', operation: 'write' } },
      thresholds: { 'biolatency.bio_latency_seconds': [0.001, 0.25] },
      cpuView: { 'runqlat-percpu.run_queue_latency_seconds': 'per-cpu' },
    };
    expect(parseViewState(formatViewState(state))).toEqual(state);
  });
  it('falls back to defaults for missing or nonsensical values', () => {
    expect(parseViewState('#range=-5&theme=purple&t.x=abc&c.x=sideways')).toEqual(DEFAULT_VIEW);
    expect(parseViewState('')).toEqual(DEFAULT_VIEW);
  });
  it('keeps summed per-CPU heatmaps, the default, out of the URL', () => {
    expect(formatViewState({ ...DEFAULT_VIEW, cpuView: { a: 'summed', b: 'per-cpu' } })).toBe('#range=900&refresh=10&c.b=per-cpu');
  });
});
