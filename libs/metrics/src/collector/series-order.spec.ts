import { describe, expect, it } from 'vitest';
import { sortFamilies } from '../exposition/sort-families';
import type { ScalarSeries } from '../model';
import { orderSeries, type SeriesOrdering, type SortSlot } from './series-order';

const labelNames = ['a', 'b'];
const series = (a: string, b: string): ScalarSeries => ({ labelNames, labelValues: [a, b], value: 1 });
const byLabels = (list: readonly ScalarSeries[]) => list.map((s) => s.labelValues.join('/'));
const fullSort = (list: readonly ScalarSeries[]) =>
  byLabels(sortFamilies([{ name: 'm', help: '', type: 'counter', series: [...list] }])[0]?.series as ScalarSeries[]);

/** One scrape of a metric: each label set keeps its slot across scrapes, like a cached decoded key. */
class Scrapes {
  private readonly slots = new Map<string, SortSlot>();
  private ordering: SeriesOrdering = { pass: 0, count: 0 };
  private pass = 0;

  scrape(list: readonly ScalarSeries[]): ScalarSeries[] {
    const slots = list.map((s) => {
      const key = s.labelValues.join('/');
      const slot = this.slots.get(key) ?? { sortRank: 0, sortPass: 0 };
      this.slots.set(key, slot);
      return slot;
    });
    const { sorted, ordering } = orderSeries(list, slots, this.ordering, ++this.pass);
    this.ordering = ordering;
    return sorted;
  }
}

describe('orderSeries', () => {
  const first = [series('b', '1'), series('a', '2'), series('a', '10'), series('c', '0')];

  it('sorts like client_golang on the first scrape', () => {
    expect(byLabels(new Scrapes().scrape(first))).toEqual(fullSort(first));
  });

  it('keeps the order when the same series come back in another order', () => {
    const scrapes = new Scrapes();
    scrapes.scrape(first);
    const shuffled = [first[3], first[1], first[0], first[2]] as ScalarSeries[];
    expect(byLabels(scrapes.scrape(shuffled))).toEqual(fullSort(first));
  });

  it('merges new series into place and drops the ones that left', () => {
    const scrapes = new Scrapes();
    scrapes.scrape(first);
    const next = [series('0', '0'), first[2], series('b', '0'), first[3], series('z', 'z')] as ScalarSeries[];
    expect(byLabels(scrapes.scrape(next))).toEqual(fullSort(next));
    const third = [first[0], series('b', '0'), series('a', '2')] as ScalarSeries[];
    expect(byLabels(scrapes.scrape(third))).toEqual(fullSort(third));
  });

  it('agrees with a full sort over many random scrapes', () => {
    const scrapes = new Scrapes();
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pool = Array.from({ length: 300 }, (_, i) => series(String(Math.floor(i / 7)), String(i % 13)));
    for (let round = 0; round < 20; round++) {
      const picked = pool.filter(() => random() < 0.7).sort(() => random() - 0.5);
      expect(byLabels(scrapes.scrape(picked))).toEqual(fullSort(picked));
    }
  });

  it('marks its output as sorted, so sortFamilies takes the list as it is', () => {
    const sorted = new Scrapes().scrape(first);
    expect(sortFamilies([{ name: 'm', help: '', type: 'counter', series: sorted }])[0]?.series).toBe(sorted);
  });
});
