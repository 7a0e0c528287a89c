// What a panel says instead of an empty plot: that data is coming and when, or that there was none.
import type { Panel } from '@ebpf-exporter/dashboard-model';
import { formatDuration } from './duration';

export interface SampleTimes {
  first: number;
  oldest: number;
  newest: number;
}

/** What the page knows about the source's sampling, for saying when data is due. */
export type Sampling =
  | { kind: 'history'; resolution: number; samples: SampleTimes | null }
  | { kind: 'prometheus'; refresh: number };

const NOTHING: Readonly<Record<Panel['kind'], string>> = {
  heatmap: 'No observations',
  rate: 'No events counted',
  gauge: 'No series',
};

/** `clock` formats Unix seconds as a time of day (the page's locale; fixed in the unit tests). */
export function emptyMessage(kind: Panel['kind'], sampling: Sampling, now: number, clock: (seconds: number) => string): string {
  if (sampling.kind === 'prometheus') {
    const next = sampling.refresh > 0 ? `; looking again at ${clock(now + sampling.refresh)}` : '; refresh is off';
    return `${NOTHING[kind]} in this range yet: a rate needs two scrapes by Prometheus${next}.`;
  }
  const every = formatDuration(sampling.resolution);
  const { samples } = sampling;
  if (!samples) return `No samples yet: the exporter takes one every ${every}, the first at about ${clock(now + sampling.resolution)}.`;
  const nextSample = Math.max(now, samples.newest + sampling.resolution);
  // A rate, and so a heatmap column or a counter line, needs two samples; a gauge shows from the first.
  if (kind !== 'gauge' && samples.newest === samples.oldest) {
    return `Collecting since ${clock(samples.first)}: a rate needs two samples (one every ${every}), the first is due at about ${clock(nextSample)}.`;
  }
  // A series that appeared in the newest sample has no rate yet either: the message holds for both.
  if (kind === 'gauge') return `${NOTHING[kind]} since ${clock(samples.oldest)} (one sample every ${every}, the next at about ${clock(nextSample)}).`;
  return `${NOTHING[kind]} since ${clock(samples.oldest)}: a rate needs two samples of a series (one every ${every}), the next is due at about ${clock(nextSample)}.`;
}
