// One metric's series, kept from scrape to scrape: which map keys make which series (key bytes -> series id,
// the cache of decoded keys), each series' label text (stored once, see LabelStore), their exposition order
// (kept current by merging new series in), and each scrape's values. Counters, histograms (a series holds a
// value per bucket column) and any other shape read from a map use it the same way.
//
// A scrape is one pass over the map's entries. When the keys come back as the same bytes in the same order
// (a map that only counted since), the last pass is replayed: each entry's value goes straight to the rank
// recorded for it. Otherwise keys seen last time find their series through the KeyIndex, only new keys go
// through the decoders, and their series are sorted and merged into the order.
import { SKIP, type Skip } from '../decoders/decoder';
import { LabelArenaBuilder } from '../label-arena';
import { labelTextOrder } from '../label-order';
import type { LabelArena } from '../model';
import { KeyIndex } from './key-index';
import { LabelStore } from './label-store';
import { forEachSlice, forEachSliced, type MapEntries, type Slicing } from './map-entries';
import { sortIndexesSliced } from './sliced-sort';

/** What a table reads of a map's entries (see MapEntries): keys and one value each. */
export type TableEntries = Pick<MapEntries, 'count' | 'keySize' | 'keys' | 'value'>;

/** What a key decodes to: its series' labels as the exposition writes them, and the column its value goes to. */
export interface DecodedKey {
  labelText: string;
  /** 0 for a scalar; a histogram's bucket column; -1 for a value the metric ignores (the series still exists). */
  column: number;
}

/** Decodes the `length` key bytes at `offset`; throws when a decoder fails. */
export type DecodeKey = (bytes: Uint8Array, offset: number, length: number) => DecodedKey | Skip;

export interface SeriesTableOptions {
  /** Values per series: 1 for a scalar, a histogram's columns. */
  width: number;
  /** Most keys of a pass kept for the next (Infinity: all); keys beyond it are decoded again every scrape. */
  cacheLimit: number;
  /** Most keys a decoder skipped kept as skipped for the next pass, instead of decoded again (0: none). */
  skipCacheLimit: number;
  /** Most series a pass may make (Infinity: no limit); past it the pass throws SeriesLimitExceeded. */
  maxSeries: number;
}

/**
 * A pass that would make more series than the table's limit (new keys with the same labels counted once
 * each: they are folded only after the walk). It ends as soon as the limit is passed, so a map flooded with
 * keys costs the table no more than the limit's worth of texts; the table stays as it was.
 */
export class SeriesLimitExceeded extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} series`);
  }
}

/** A second value of each entry added into one column of its series (a histogram's `sum` field). */
export interface ExtraValue {
  column: number;
  value: (entry: number) => number;
}

/** The series of one scrape, in exposition order (rank). */
export interface SeriesView {
  /** Text of each rank. */
  labels: LabelArena;
  /** The stable series id of each rank: the same series keeps its id from scrape to scrape. */
  ids: Int32Array;
  /** `width` values per rank: rank r's column c is `values[r * width + c]`. */
  values: Float64Array;
}

/** Where an entry's value goes, besides a rank (>= 0). */
const SKIPPED = -1;
/** Skipped but not remembered as skipped (over skipCacheLimit): decoded again next pass. */
const FORGOTTEN = -2;
/** A key decoded in this pass: `FRESH - f` for fresh text f. */
const FRESH = -3;
/** A fresh text equal to the one before it in sorted order (see merge). */
const FOLDED = -1;
/** A fresh text equal to old rank r: `SAME_AS_OLD - r`. */
const SAME_AS_OLD = -2;

/** The keys of the last pass and the rank (or SKIPPED/FORGOTTEN) and column each one went to. */
interface RecordedPass {
  index: KeyIndex;
  rankOfKey: Int32Array;
  /** Only for tables wider than 1. */
  columnOfKey: Int32Array | undefined;
  /** Every entry was recorded and none is decoded again: identical keys can be replayed. */
  replayable: boolean;
}

/** A pass's classification of its entries, before the merge gives every one its rank. */
interface Classified {
  target: Int32Array;
  column: Int32Array | undefined;
  /** Texts of the keys decoded in this pass, by fresh index. */
  fresh: LabelArena;
  /** Per old rank: whether a recorded key of this pass still belongs to it. */
  oldSeen: Uint8Array;
  remembersEverySkip: boolean;
  /** Keys that went through the decoders. */
  decoded: number;
}

/** What a merge changes: the new order and the new rank of every old rank (-1: gone) and fresh text. */
interface RankChanges {
  /** Ids by new rank; `-1 - f` where fresh text f makes a new series (given its id by commit). */
  order: Int32Array;
  old: Int32Array;
  fresh: Int32Array;
  inserted: number;
  freshTexts: LabelArena;
}

/** Stats of the last pass, for tests and for whoever wants to know what the cache did. */
export interface PassStats {
  replayed: boolean;
  /** Keys that went through the decoders. */
  decoded: number;
}

export class SeriesTable {
  private readonly store = new LabelStore();
  /** Live series ids in exposition order. */
  private order: Int32Array = new Int32Array(0);
  /** Ids given to series so far, and those of series that died, given to the next new ones. */
  private nextId = 0;
  private readonly freeIds: number[] = [];
  /** Whether `ranked` lies back to back in the store's bytes (see LabelStore.compact). */
  private inOrder = true;
  private last: RecordedPass | undefined;
  /**
   * The key count of the last pass refused by maxSeries: while the map holds at least as many keys, it is
   * refused again without decoding them (a flood would otherwise cost a limit's worth of decoding every
   * scrape); once it holds fewer, it is decoded again.
   */
  private refusedAtKeys = Infinity;
  lastPass: PassStats = { replayed: false, decoded: 0 };

  constructor(
    private readonly decode: DecodeKey,
    private readonly options: SeriesTableOptions,
  ) {}

  /** Most series a pass may make (see SeriesTableOptions). */
  get maxSeries(): number {
    return this.options.maxSeries;
  }

  /**
   * One scrape of `entries`; calls must not overlap (the collector queues them). A decoder that throws (or
   * a pause that does) before the new series are merged leaves the table as it was.
   */
  async collect(entries: TableEntries, slicing: Slicing, extra?: ExtraValue): Promise<SeriesView> {
    if (entries.count >= this.refusedAtKeys) throw new SeriesLimitExceeded(this.options.maxSeries);
    this.refusedAtKeys = Infinity;
    const last = this.last;
    if (last?.replayable && last.index.holdsExactly(entries.keys, entries.keySize, entries.count)) {
      if (!this.inOrder) await this.compact(slicing);
      this.lastPass = { replayed: true, decoded: 0 };
      return this.view(await this.addValues(entries, last.rankOfKey, last.columnOfKey, slicing, extra));
    }
    const classified = await this.classify(entries, last?.index.keySize === entries.keySize ? last : undefined, slicing).catch((error: unknown) => {
      if (error instanceof SeriesLimitExceeded) this.refusedAtKeys = entries.count;
      throw error;
    });
    const changes = await this.merge(classified, slicing);
    this.commit(changes);
    // The key cache described the old ranks: until the new one is recorded, a cut pass leaves none.
    this.last = undefined;
    this.lastPass = { replayed: false, decoded: classified.decoded };
    const { target } = classified;
    await forEachSlice(entries.count, slicing, (from, to) => {
      for (let entry = from; entry < to; entry++) {
        const t = target[entry] as number;
        if (t <= FRESH) target[entry] = changes.fresh[FRESH - t] as number;
        else if (t >= 0) target[entry] = changes.old[t] as number;
      }
    });
    this.last = await this.record(entries, classified, slicing);
    if (this.store.garbageBytes > this.store.liveBytes) await this.compact(slicing);
    return this.view(await this.addValues(entries, target, classified.column, slicing, extra));
  }

  private view(values: Float64Array): SeriesView {
    return { labels: this.store.ranked, ids: this.order, values };
  }

  /** Each entry's value added to its rank's column (and `extra` to its column, for entries counted). */
  private async addValues(entries: TableEntries, rankOf: Int32Array, columnOf: Int32Array | undefined, slicing: Slicing, extra?: ExtraValue): Promise<Float64Array> {
    const { width } = this.options;
    const values = new Float64Array(this.order.length * width);
    // The hottest loop (a replayed scrape): a loop of its own per slice, which V8 optimizes for its body.
    await forEachSlice(entries.count, slicing, (from, to) => {
      for (let entry = from; entry < to; entry++) {
        const rank = rankOf[entry] as number;
        if (rank < 0) continue;
        const column = columnOf ? (columnOf[entry] as number) : 0;
        if (column < 0) continue;
        values[rank * width + column] = (values[rank * width + column] as number) + entries.value(entry);
        if (extra) values[rank * width + extra.column] = (values[rank * width + extra.column] as number) + extra.value(entry);
      }
    });
    return values;
  }

  /** Finds each entry's old rank through the last pass's keys, or decodes it. */
  private async classify(entries: TableEntries, last: RecordedPass | undefined, slicing: Slicing): Promise<Classified> {
    const target = new Int32Array(entries.count);
    const column = this.options.width > 1 ? new Int32Array(entries.count) : undefined;
    const oldSeen = new Uint8Array(this.order.length);
    // A first pass decodes every key: room for all of them at once, instead of growing by copies.
    const fresh = last ? new LabelArenaBuilder() : new LabelArenaBuilder(entries.count);
    let skipsRemembered = 0;
    let remembersEverySkip = true;
    let decoded = 0;
    // Old series hit plus fresh texts so far: the series of the pass, counting keys that decode to the same
    // labels once each until the merge folds them (a bound that needs no lookup while the flood comes in).
    let series = 0;
    const { keys, keySize } = entries;
    const { skipCacheLimit, maxSeries } = this.options;
    await forEachSliced(entries.count, slicing, (entry) => {
      const offset = entry * keySize;
      const recorded = last ? last.index.find(keys, offset) : -1;
      if (recorded >= 0) {
        const rank = (last as RecordedPass).rankOfKey[recorded] as number;
        if (rank >= 0) {
          target[entry] = rank;
          if (oldSeen[rank] === 0 && ++series > maxSeries) throw new SeriesLimitExceeded(maxSeries);
          oldSeen[rank] = 1;
          if (column) column[entry] = (last as RecordedPass).columnOfKey?.[recorded] as number;
          return;
        }
        if (rank === SKIPPED && skipsRemembered < skipCacheLimit) {
          target[entry] = SKIPPED;
          skipsRemembered++;
          return;
        }
      }
      const key = this.decode(keys, offset, keySize);
      decoded++;
      if (key === SKIP) {
        const remembered = skipsRemembered < skipCacheLimit;
        if (remembered) skipsRemembered++;
        else remembersEverySkip = false;
        target[entry] = remembered ? SKIPPED : FORGOTTEN;
        return;
      }
      if (++series > maxSeries) throw new SeriesLimitExceeded(maxSeries);
      target[entry] = FRESH - fresh.add(key.labelText);
      if (column) column[entry] = key.column;
    });
    return { target, column, fresh: fresh.finish(), oldSeen, remembersEverySkip, decoded };
  }

  /**
   * Merges the series of fresh keys into the order: sorted, equal neighbours folded, each found among the old
   * series (all of them: a series whose keys all changed keeps its id) by binary search or inserted there.
   * Old series no key went to are freed. Returns the new rank of every old rank (-1: gone) and fresh text.
   * Nothing here changes the table (a pause that throws leaves it as it was): `commit` does, after it.
   */
  private async merge({ fresh, oldSeen }: Classified, slicing: Slicing): Promise<RankChanges> {
    const freshCount = fresh.starts.length;
    const oldCount = this.order.length;
    const compareFresh = labelTextOrder(fresh, fresh);
    const toOld = labelTextOrder(fresh, this.store.ranked);
    const freshOrder = await sortIndexesSliced(freshCount, compareFresh, slicing);

    // Per fresh text, one Int32Array (a first pass of a million keys is at its memory peak here): where it
    // goes among the old ranks (>= 0, a new series), SAME_AS_OLD - r for an old rank r it equals, or FOLDED
    // into the distinct text before it in sorted order.
    const placeOf = new Int32Array(freshCount);
    let low = 0;
    await forEachSliced(freshCount, slicing, (k) => {
      const f = freshOrder[k] as number;
      if (k > 0 && compareFresh(freshOrder[k - 1] as number, f) === 0) {
        placeOf[f] = FOLDED;
        return;
      }
      // Fresh texts come sorted: each one's place is at or after the last one's.
      let high = oldCount;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (toOld(f, middle) > 0) low = middle + 1;
        else high = middle;
      }
      if (low < oldCount && toOld(f, low) === 0) {
        placeOf[f] = SAME_AS_OLD - low;
        oldSeen[low] = 1;
      } else {
        placeOf[f] = low;
      }
    });

    let standing = 0;
    for (let r = 0; r < oldCount; r++) standing += oldSeen[r] as number;
    let inserted = 0;
    for (let f = 0; f < freshCount; f++) if ((placeOf[f] as number) >= 0) inserted++;
    // The new order, with `-1 - f` where new series f goes until commit gives it an id.
    const order = new Int32Array(standing + inserted);
    const rankOfOld = new Int32Array(oldCount).fill(-1);
    const rankOfFresh = new Int32Array(freshCount);
    let out = 0;
    let k = 0;
    const placeFreshBefore = (rank: number) => {
      for (; k < freshCount; k++) {
        const f = freshOrder[k] as number;
        const at = placeOf[f] as number;
        if (at < 0) continue;
        if (at > rank) break;
        rankOfFresh[f] = out;
        order[out++] = -1 - f;
      }
    };
    const oldOrder = this.order;
    await forEachSliced(oldCount, slicing, (rank) => {
      placeFreshBefore(rank);
      if (oldSeen[rank] === 1) {
        rankOfOld[rank] = out;
        order[out++] = oldOrder[rank] as number;
      }
    });
    placeFreshBefore(oldCount);
    // Texts equal to an old one take its new rank; folded ones that of the distinct text before them.
    let standsFor = -1;
    await forEachSliced(freshCount, slicing, (k) => {
      const f = freshOrder[k] as number;
      const place = placeOf[f] as number;
      if (place === FOLDED) {
        rankOfFresh[f] = rankOfFresh[standsFor] as number;
        return;
      }
      standsFor = f;
      if (place <= SAME_AS_OLD) rankOfFresh[f] = rankOfOld[SAME_AS_OLD - place] as number;
    });
    return { order, old: rankOfOld, fresh: rankOfFresh, inserted, freshTexts: fresh };
  }

  /**
   * Makes the merge the table's state, with no pause: new series get ids and their texts are stored (a table
   * that held nothing takes the fresh texts over as they are: a first pass, at its memory peak), old series
   * no key went to are freed.
   */
  private commit(changes: RankChanges): void {
    const { order, freshTexts } = changes;
    for (let rank = 0; rank < this.order.length; rank++) if (changes.old[rank] === -1) this.freeIds.push(this.order[rank] as number);
    if (this.order.length === 0) this.store.adopt(freshTexts, order);
    else this.store.rebuild(changes.old, freshTexts, order);
    for (let rank = 0; rank < order.length; rank++) if ((order[rank] as number) < 0) order[rank] = this.freeIds.pop() ?? this.nextId++;
    this.order = order;
    // New series break the texts' exposition order; dead ones only leave gaps.
    if (changes.inserted > 0) this.inOrder = false;
  }

  /** Keeps this pass's keys and where they went, at most `cacheLimit` of them. */
  private async record(entries: TableEntries, { target, column, remembersEverySkip }: Classified, slicing: Slicing): Promise<RecordedPass> {
    const count = Math.min(entries.count, this.options.cacheLimit);
    const { keySize } = entries;
    const index = new KeyIndex(entries.keys.subarray(0, count * keySize), keySize, count);
    await forEachSlice(count, slicing, (from, to) => index.insert(from, to));
    const whole = count === entries.count;
    return {
      index,
      rankOfKey: whole ? target : target.slice(0, count),
      columnOfKey: column && !whole ? column.slice(0, count) : column,
      replayable: whole && remembersEverySkip,
    };
  }

  private async compact(slicing: Slicing): Promise<void> {
    await this.store.compact(slicing);
    this.inOrder = true;
  }
}
