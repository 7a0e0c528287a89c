import { describe, expect, it } from 'vitest';
import { emptyMessage } from './empty-panel';

const clock = (seconds: number) => `t${seconds}`;

describe('emptyMessage', () => {
  it('says when the first sample and the first rate are due', () => {
    expect(emptyMessage('heatmap', { kind: 'history', resolution: 5, samples: null }, 100, clock)).toBe(
      'No samples yet: the exporter takes one every 5 s, the first at about t105.',
    );
    expect(emptyMessage('rate', { kind: 'history', resolution: 5, samples: { first: 100, oldest: 100, newest: 100 } }, 102, clock)).toBe(
      'Collecting since t100: a rate needs two samples (one every 5 s), the first is due at about t105.',
    );
  });
  it('tells a metric that saw nothing apart from one still waiting for data', () => {
    const samples = { first: 100, oldest: 100, newest: 160 };
    expect(emptyMessage('heatmap', { kind: 'history', resolution: 5, samples }, 163, clock)).toBe(
      'No observations since t100: a rate needs two samples of a series (one every 5 s), the next is due at about t165.',
    );
    // A gauge needs no second sample.
    expect(emptyMessage('gauge', { kind: 'history', resolution: 5, samples: { first: 100, oldest: 100, newest: 100 } }, 101, clock)).toMatch(/^No series since t100/);
  });
  it('says when a Prometheus-backed page looks again', () => {
    expect(emptyMessage('rate', { kind: 'prometheus', refresh: 10 }, 100, clock)).toBe('No events counted in this range yet: a rate needs two scrapes by Prometheus; looking again at t110.');
    expect(emptyMessage('rate', { kind: 'prometheus', refresh: 0 }, 100, clock)).toMatch(/refresh is off\.$/);
  });
});
