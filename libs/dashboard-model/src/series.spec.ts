import { describe, expect, it } from 'vitest';
import { seriesName, topSeries } from './series';

describe('topSeries', () => {
  it('keeps the busiest series by mean over the range, ignoring gaps', () => {
    const series = [
      { labels: { f: 'quiet' }, values: [1, 1, 1] },
      { labels: { f: 'burst' }, values: [null, 30, null] },
      { labels: { f: 'steady' }, values: [10, 10, 10] },
      { labels: { f: 'absent' }, values: [null, null, null] },
    ];
    expect(topSeries(series, 2).map((s) => s.labels.f)).toEqual(['burst', 'steady']);
  });
});

describe('seriesName', () => {
  it('names a label set Prometheus style, and the unlabelled total as such', () => {
    expect(seriesName({ vec: 'net_rx', cpu: '0' })).toBe('{vec="net_rx", cpu="0"}');
    expect(seriesName({})).toBe('total');
  });
});
