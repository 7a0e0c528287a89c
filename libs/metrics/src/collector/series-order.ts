import { compareLabelValues, markSorted } from '../exposition/sort-families';
import type { ScalarSeries } from '../model';

/**
 * Where a label set stood in the last sorted output of its metric. Kept on the cached decoded key, so a
 * scrape of an unchanged map puts every series straight into its slot instead of comparing label strings
 * n log n times (the formatter's sort then only confirms the order in n - 1 comparisons).
 */
export interface SortSlot {
  sortRank: number;
  /** The ordering pass that gave `sortRank`; a rank from any older pass is not trusted. */
  sortPass: number;
}

/** The previous ordering of one metric's series. */
export interface SeriesOrdering {
  pass: number;
  count: number;
}

/**
 * Sorts `series` by label values as client_golang's Gather does, reusing the ranks of the last ordering:
 * ranks from one ordering agree with the label order among themselves, so series placed by rank form a
 * sorted run; only label sets new since then are sorted by comparison and merged in. Records the new
 * ranks on `slots` (parallel to `series`) and returns the new ordering.
 */
export function orderSeries<S extends ScalarSeries>(
  series: readonly S[],
  slots: readonly SortSlot[],
  previous: SeriesOrdering,
  pass: number,
): { sorted: S[]; ordering: SeriesOrdering } {
  const placed = new Int32Array(previous.count).fill(-1);
  const fresh: number[] = [];
  for (let i = 0; i < series.length; i++) {
    const slot = slots[i] as SortSlot;
    if (slot.sortPass === previous.pass && slot.sortRank < placed.length && placed[slot.sortRank] === -1) placed[slot.sortRank] = i;
    else fresh.push(i);
  }
  fresh.sort((a, b) => compareLabelValues(series[a] as S, series[b] as S));

  const order = new Int32Array(series.length);
  let out = 0;
  let next = 0;
  for (const index of placed) {
    if (index === -1) continue;
    while (next < fresh.length && compareLabelValues(series[fresh[next] as number] as S, series[index] as S) < 0) {
      order[out++] = fresh[next++] as number;
    }
    order[out++] = index;
  }
  while (next < fresh.length) order[out++] = fresh[next++] as number;

  const sorted = new Array<S>(series.length);
  for (let rank = 0; rank < order.length; rank++) {
    const index = order[rank] as number;
    sorted[rank] = series[index] as S;
    const slot = slots[index] as SortSlot;
    slot.sortRank = rank;
    slot.sortPass = pass;
  }
  return { sorted: markSorted(sorted), ordering: { pass, count: series.length } };
}
