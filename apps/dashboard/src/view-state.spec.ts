import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, formatViewState, parseViewState, type ViewState } from './view-state';

describe('view state in the URL', () => {
  it('round-trips every choice, including panel filters, thresholds and series searches on dotted panel ids', () => {
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
      search: { 'syscalls.syscalls_total': 'read' },
    };
    expect(parseViewState(formatViewState(state))).toEqual(state);
  });
  it('reads ranges and refreshes in seconds or with units, from the query string or the fragment', () => {
    expect(parseViewState('', '?range=120')).toMatchObject({ range: 120 });
    expect(parseViewState('#range=15m&refresh=30s')).toMatchObject({ range: 900, refresh: 30 });
    expect(parseViewState('#refresh=off', '?refresh=5')).toMatchObject({ refresh: 0 });
    // The fragment is what the page writes, so it wins over a query string left from the original link.
    expect(parseViewState('#range=300', '?range=1h&theme=dark')).toMatchObject({ range: 300, theme: 'dark' });
  });
  it('falls back to defaults for missing or nonsensical values', () => {
    const nonsense = '#range=-5&refresh=0.1&theme=purple&color=rainbow&t.x=abc,-1&c.x=sideways&f.x.=a&s.x=%20';
    expect(parseViewState(nonsense)).toEqual(DEFAULT_VIEW);
    expect(parseViewState('', '?range=soon&refresh=never')).toEqual(DEFAULT_VIEW);
    expect(parseViewState('#range=400d')).toEqual(DEFAULT_VIEW);
    expect(parseViewState('')).toEqual(DEFAULT_VIEW);
  });
  it('keeps summed per-CPU heatmaps, the default, out of the URL', () => {
    expect(formatViewState({ ...DEFAULT_VIEW, cpuView: { a: 'summed', b: 'per-cpu' } })).toBe('#range=900&refresh=10&c.b=per-cpu');
  });
});
