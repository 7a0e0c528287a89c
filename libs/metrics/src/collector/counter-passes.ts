// A counter map is collected against the last pass over it. Most keys of a scrape were already there in the
// last one, so their labels are found by their raw bytes in what that pass recorded, in typed arrays plus one
// string per label set (about 90 bytes a key, where objects per key took 400), and only keys new since then
// go through the decoders. When the keys are the same bytes in the same order (a map that only counted
// since), the pass is replayed: values are added straight into the recorded series, with no lookup at all.
// The cache is therefore the keys of the last scrape: a key that left the map is forgotten with it.
import { SKIP, type Skip } from '../decoders/decoder';
import { labelValuesSortKey } from '../exposition/sort-families';
import { parseLabelValues } from '../exposition/escape';
import { arenaSize, arenaTextOrder, EMPTY_ARENA, LabelArenaBuilder, labelTextAt, reorderArena } from '../label-arena';
import type { LabelArena } from '../model';
import { hashBytes } from './byte-key-lru';
import { forEachSlice, forEachSliced, type MapEntries, type Slicing } from './map-entries';
import { sortIndexesSliced } from './sliced-sort';

const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A key's labels as the decoders give them, before they are recorded. */
export interface DecodedLabels {
  labelValues: readonly string[];
  labelText: string;
}

/** Decodes the labels of `length` bytes at `offset`; throws when a decoder fails. */
export type DecodeLabels = (bytes: Uint8Array, offset: number, length: number) => DecodedLabels | Skip;

/** The series of a pass in exposition order (label values compared one by one, as client_golang sorts). */
export interface CounterSeries {
  labels: LabelArena;
  values: Float64Array;
}

export interface CounterPassOptions {
  /** Most keys recorded per pass (Infinity: all); keys beyond it are decoded again every scrape. */
  cacheLimit: number;
  /** Whether keys a decoder skipped are remembered as skipped instead of decoded again next scrape. */
  skipCache: boolean;
}

const SKIPPED = -1;
const EMPTY_SLOT = 0;

interface RecordedPass {
  keySize: number;
  /** Key bytes of the recorded entries (a view of the pass's map dump). */
  keys: Uint8Array;
  /** Per recorded entry: the index of its series in `labelTexts`, or SKIPPED. */
  seriesOfEntry: Int32Array;
  /** Open addressing by key hash: recorded entry + 1, or EMPTY_SLOT. */
  slots: Int32Array;
  labels: LabelArena;
  /** Whether every text is plain (see isPlain). */
  plain: boolean;
  /** Whether the texts lie in the arena in series order (see mergedArena). */
  inOrder: boolean;
  /** Every entry recorded and nothing left to decode again: identical keys can be replayed. */
  replayable: boolean;
}

/** Compares 4 bytes at a time when both views are aligned (dumps and copies start at offset 0). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let start = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const words = a.byteLength >>> 2;
    const left = new Uint32Array(a.buffer, a.byteOffset, words);
    const right = new Uint32Array(b.buffer, b.byteOffset, words);
    for (let i = 0; i < words; i++) if (left[i] !== right[i]) return false;
    start = words * 4;
  }
  for (let i = start; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameKey(keys: Uint8Array, at: number, other: Uint8Array, otherAt: number, size: number): boolean {
  for (let i = 0; i < size; i++) if (keys[at + i] !== other[otherAt + i]) return false;
  return true;
}

/** The recorded entry whose key equals `size` bytes of `bytes` at `offset`, or -1. */
function findRecorded(pass: RecordedPass, bytes: Uint8Array, offset: number): number {
  const { slots, keys, keySize } = pass;
  const mask = slots.length - 1;
  for (let slot = hashBytes(bytes, offset, keySize) & mask; ; slot = (slot + 1) & mask) {
    const recorded = (slots[slot] as number) - 1;
    if (recorded < 0) return -1;
    if (sameKey(keys, recorded * keySize, bytes, offset, keySize)) return recorded;
  }
}

/** Label texts, and whether all of them are plain (see isPlain). */
interface SeriesTexts {
  labels: LabelArena;
  plain: boolean;
}

/** Series decoded in this pass, one per key (keys with equal labels are folded once sorted). */
interface FreshSeries extends SeriesTexts {
  totals: Float64Array;
}

/**
 * Whether a label text's UTF-8 bytes sort among others exactly as its values do: true unless a value holds a
 * character at or below `"` (0x22), which closes a value in the text, a backslash, which starts an escape,
 * or one from U+D800 up, where UTF-16 order (JavaScript's, so upstream tests') and UTF-8 order part. Plain
 * texts are compared as bytes where they lie; otherwise every text gets a labelValuesSortKey string.
 */
export function isPlain(text: string): boolean {
  return !/[\u0000-\u0021\\\ud800-\uffff]/.test(text);
}

/**
 * isPlain over every text of an arena, read from their UTF-8 bytes: from U+D800 up means a lead byte from
 * 0xEE up, or 0xED followed by one from 0xA0 up (a lone surrogate was encoded as U+FFFD). Lets a metric
 * whose last non-plain label set left go back to comparing bytes.
 */
export async function arenaIsPlain(arena: LabelArena, slicing: Slicing): Promise<boolean> {
  const { bytes } = arena;
  let plain = true;
  await forEachSlice(bytes.length, { ...slicing, entries: BYTES_PER_SLICE }, (from, to) => {
    for (let i = from; i < to && plain; i++) {
      const byte = bytes[i] as number;
      if (byte <= 0x21 || byte === 0x5c || byte >= 0xee || (byte === 0xed && (bytes[i + 1] as number) >= 0xa0)) plain = false;
    }
  });
  return plain;
}

const BYTES_PER_SLICE = 1 << 16;

/** The passes over one counter map; `collect` calls must not overlap (the collector queues them). */
export class CounterPasses {
  private last: RecordedPass | undefined;

  constructor(
    private readonly decode: DecodeLabels,
    private readonly options: CounterPassOptions,
  ) {}

  async collect(entries: MapEntries, slicing: Slicing): Promise<CounterSeries> {
    const last = this.last?.keySize === entries.keySize ? this.last : undefined;
    if (last?.replayable && sameBytes(last.keys, entries.keys)) {
      if (!last.inOrder) {
        // The formatter reads texts in series order: it copies bytes twice as fast front to back as when it
        // jumps around a 3 MB arena (100k series). Done here, a pass after the first, for its memory peak.
        last.labels = await copyInOrder(last.labels, slicing);
        last.inOrder = true;
      }
      return replay(last, entries, slicing);
    }

    // Where each entry goes: an old series (>= 0), a fresh one (-2 - index) or nowhere (SKIPPED).
    const targetOfEntry = new Int32Array(entries.count);
    const oldTotals = new Float64Array(last ? arenaSize(last.labels) : 0);
    const oldPresent = new Uint8Array(oldTotals.length);
    // A first pass decodes every key: room for all of them at once, instead of growing by copies.
    const freshTexts = last ? new LabelArenaBuilder() : new LabelArenaBuilder(entries.count);
    // At most one fresh series per entry: sized once instead of grown.
    const freshTotals = new Float64Array(entries.count);
    let freshPlain = true;
    let skips = 0;
    const { keys, keySize } = entries;
    await forEachSliced(entries.count, slicing, (entry) => {
      const offset = entry * keySize;
      const recorded = last ? findRecorded(last, keys, offset) : -1;
      if (recorded >= 0) {
        const series = (last as RecordedPass).seriesOfEntry[recorded] as number;
        if (series !== SKIPPED) {
          oldTotals[series] = (oldTotals[series] as number) + entries.value(entry);
          oldPresent[series] = 1;
          targetOfEntry[entry] = series;
          return;
        }
        if (this.options.skipCache) {
          targetOfEntry[entry] = SKIPPED;
          skips++;
          return;
        }
      }
      const decoded = this.decode(keys, offset, keySize);
      if (decoded === SKIP) {
        targetOfEntry[entry] = SKIPPED;
        skips++;
        return;
      }
      // Keys decoding to the same labels are added up once sorted, where they end up side by side.
      const index = freshTexts.add(decoded.labelText);
      targetOfEntry[entry] = -2 - index;
      freshTotals[index] = entries.value(entry);
      freshPlain &&= isPlain(decoded.labelText);
    });

    const old = { labels: last?.labels ?? EMPTY_ARENA, plain: last?.plain ?? true };
    const fresh = { labels: freshTexts.finish(), totals: freshTotals.subarray(0, freshTexts.size), plain: freshPlain };
    const merged = await mergeSeries(old, oldPresent, oldTotals, fresh, slicing);
    await forEachSliced(entries.count, slicing, (entry) => {
      const target = targetOfEntry[entry] as number;
      if (target !== SKIPPED) targetOfEntry[entry] = target >= 0 ? (merged.oldIndex[target] as number) : (merged.freshIndex[-2 - target] as number);
    });
    this.last = await record(entries, targetOfEntry, merged, this.options, skips, slicing);
    return { labels: merged.labels, values: merged.values };
  }
}

async function replay(pass: RecordedPass, entries: MapEntries, slicing: Slicing): Promise<CounterSeries> {
  const values = new Float64Array(arenaSize(pass.labels));
  const { seriesOfEntry } = pass;
  await forEachSlice(entries.count, slicing, (from, to) => {
    for (let entry = from; entry < to; entry++) {
      const series = seriesOfEntry[entry] as number;
      if (series !== SKIPPED) values[series] = (values[series] as number) + entries.value(entry);
    }
  });
  return { labels: pass.labels, values };
}

interface MergedSeries {
  labels: LabelArena;
  /** Whether the texts lie in the arena in series order (see RecordedPass). */
  inOrder: boolean;
  values: Float64Array;
  /** The merged index of each old series, -1 where it is gone; of each fresh one. */
  oldIndex: Int32Array;
  freshIndex: Int32Array;
  plain: boolean;
}

/** How fresh series compare with each other and with old ones (arena indexes). */
interface Ordering {
  fresh(a: number, b: number): number;
  freshToOld(f: number, o: number): number;
}

/** Plain texts compare as their bytes; others by sort keys parsed back from their texts, old ones on demand. */
function orderingOf(old: SeriesTexts, fresh: SeriesTexts): Ordering {
  if (old.plain && fresh.plain) {
    return { fresh: arenaTextOrder(fresh.labels, fresh.labels), freshToOld: arenaTextOrder(fresh.labels, old.labels) };
  }
  const keyOf = (labels: LabelArena, index: number) => labelValuesSortKey(parseLabelValues(labelTextAt(labels, index)));
  const freshKeys = Array.from({ length: arenaSize(fresh.labels) }, (_, f) => keyOf(fresh.labels, f));
  const oldKeys = new Map<number, string>();
  const oldKey = (index: number): string => {
    let key = oldKeys.get(index);
    if (key === undefined) oldKeys.set(index, (key = keyOf(old.labels, index)));
    return key;
  };
  return {
    fresh: (a, b) => compareStrings(freshKeys[a] as string, freshKeys[b] as string),
    freshToOld: (f, o) => compareStrings(freshKeys[f] as string, oldKey(o)),
  };
}

/**
 * The old series still present, in their order, with the fresh ones sorted and placed among them by binary
 * search. A fresh series with the labels of an old one, or of the fresh one before it, is added to it.
 */
async function mergeSeries(old: SeriesTexts, oldPresent: Uint8Array, oldTotals: Float64Array, fresh: FreshSeries, slicing: Slicing): Promise<MergedSeries> {
  let presentCount = 0;
  for (let i = 0; i < oldPresent.length; i++) presentCount += oldPresent[i] as number;
  const ordering = orderingOf(old, fresh);
  const freshCount = fresh.totals.length;
  const freshOrder = await sortIndexesSliced(freshCount, ordering.fresh, slicing);
  if (presentCount === 0) return freshSeriesOnly(fresh, freshOrder, ordering, oldTotals.length, slicing);
  const present = new Int32Array(presentCount);
  for (let i = 0, at = 0; i < oldPresent.length; i++) if (oldPresent[i] === 1) present[at++] = i;

  // Per fresh series in sorted order: where it goes among the present old ones, or -1 once folded.
  const insertAt = new Int32Array(freshCount);
  // The fresh series each one was folded into (itself when it stands alone), and the old one if any.
  const representative = new Int32Array(freshCount);
  const foldedIntoOld = new Int32Array(freshCount).fill(-1);
  let low = 0;
  await forEachSliced(freshCount, slicing, (k) => {
    const f = freshOrder[k] as number;
    const before = k > 0 ? (freshOrder[k - 1] as number) : -1;
    if (before !== -1 && ordering.fresh(before, f) === 0) {
      const into = representative[before] as number;
      representative[f] = into;
      insertAt[k] = -1;
      const oldInto = foldedIntoOld[into] as number;
      if (oldInto !== -1) oldTotals[oldInto] = (oldTotals[oldInto] as number) + (fresh.totals[f] as number);
      else fresh.totals[into] = (fresh.totals[into] as number) + (fresh.totals[f] as number);
      return;
    }
    representative[f] = f;
    let high = present.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (ordering.freshToOld(f, present[middle] as number) > 0) low = middle + 1;
      else high = middle;
    }
    const match = present[low];
    if (match !== undefined && ordering.freshToOld(f, match) === 0) {
      oldTotals[match] = (oldTotals[match] as number) + (fresh.totals[f] as number);
      foldedIntoOld[f] = match;
      insertAt[k] = -1;
    } else {
      insertAt[k] = low;
    }
  });

  let standing = 0;
  for (const at of insertAt) if (at !== -1) standing++;
  // Where each output series comes from: an old series (`fromOld`) or a fresh one, and its index there.
  const size = present.length + standing;
  const fromOld = new Uint8Array(size);
  const source = new Int32Array(size);
  const values = new Float64Array(size);
  const oldIndex = new Int32Array(oldTotals.length).fill(-1);
  const freshIndex = new Int32Array(freshCount);
  let out = 0;
  let k = 0;
  const placeFreshBefore = (position: number) => {
    for (; k < freshCount && ((insertAt[k] as number) === -1 || (insertAt[k] as number) <= position); k++) {
      if (insertAt[k] === -1) continue;
      const f = freshOrder[k] as number;
      freshIndex[f] = out;
      source[out] = f;
      values[out++] = fresh.totals[f] as number;
    }
  };
  await forEachSliced(present.length, slicing, (position) => {
    const o = present[position] as number;
    placeFreshBefore(position);
    oldIndex[o] = out;
    fromOld[out] = 1;
    source[out] = o;
    values[out++] = oldTotals[o] as number;
  });
  placeFreshBefore(present.length);
  for (let f = 0; f < freshCount; f++) {
    const into = representative[f] as number;
    const oldInto = foldedIntoOld[into] as number;
    freshIndex[f] = oldInto !== -1 ? (oldIndex[oldInto] as number) : (freshIndex[into] as number);
  }
  const labels = await mergedArena(old.labels, fresh.labels, fromOld, source, slicing);
  const plain = (old.plain && fresh.plain) || (await arenaIsPlain(labels, slicing));
  return { labels, inOrder: true, values, oldIndex, freshIndex, plain };
}

/**
 * mergeSeries when no old series is left (a first pass): the sorted fresh series with equal neighbours
 * folded. This is the pass that decodes every key, at its memory peak, so it keeps only what the result
 * needs (a million series: 17 MB less than the general merge's bookkeeping), and its label texts are the
 * fresh arena's own bytes with their offsets reordered (a second 30 MB arena spared; the next pass puts
 * the bytes in order, see copyInOrder).
 */
async function freshSeriesOnly(fresh: FreshSeries, order: Int32Array, ordering: Ordering, oldCount: number, slicing: Slicing): Promise<MergedSeries> {
  const values = new Float64Array(order.length);
  const freshIndex = new Int32Array(order.length);
  let standing = 0;
  let previous = -1;
  await forEachSliced(order.length, slicing, (k) => {
    const f = order[k] as number;
    if (previous !== -1 && ordering.fresh(previous, f) === 0) {
      freshIndex[f] = standing - 1;
      values[standing - 1] = (values[standing - 1] as number) + (fresh.totals[f] as number);
    } else {
      freshIndex[f] = standing;
      values[standing] = fresh.totals[f] as number;
      // The series standing are written over the order itself, never ahead of the entry being read.
      order[standing++] = f;
    }
    previous = f;
  });
  return {
    labels: reorderArena(fresh.labels, order.subarray(0, standing)),
    inOrder: false,
    values: values.subarray(0, standing),
    oldIndex: new Int32Array(oldCount).fill(-1),
    freshIndex,
    plain: fresh.plain,
  };
}

/** The merged series' label texts, copied in order. */
function mergedArena(old: LabelArena, fresh: LabelArena, fromOld: Uint8Array, source: Int32Array, slicing: Slicing): Promise<LabelArena> {
  const bytes = old.bytes.length + fresh.bytes.length;
  return copyTexts(source.length, bytes, slicing, (i) => (fromOld[i] === 1 ? old : fresh), (i) => source[i] as number);
}

function copyInOrder(arena: LabelArena, slicing: Slicing): Promise<LabelArena> {
  return copyTexts(arenaSize(arena), arena.bytes.length, slicing, () => arena, (i) => i);
}

/** A new arena whose text i is text `indexIn(i)` of `arenaOf(i)`, back to back; `bytes` is room enough for them. */
async function copyTexts(
  count: number,
  bytes: number,
  slicing: Slicing,
  arenaOf: (i: number) => LabelArena,
  indexIn: (i: number) => number,
): Promise<LabelArena> {
  const labels = new LabelArenaBuilder(count, bytes);
  await forEachSliced(count, slicing, (i) => labels.copy(arenaOf(i), indexIn(i)));
  return labels.finish();
}

/** Keeps this pass's keys and series for the next one, at most `cacheLimit` keys of them. */
async function record(
  entries: MapEntries,
  seriesOfEntry: Int32Array,
  { labels, plain, inOrder }: { labels: LabelArena; plain: boolean; inOrder: boolean },
  options: CounterPassOptions,
  skips: number,
  slicing: Slicing,
): Promise<RecordedPass> {
  const count = Math.min(entries.count, options.cacheLimit);
  const { keySize } = entries;
  // Kept, not copied: a map source hands out buffers of its own for each read (see MapSource).
  const keys = entries.keys.subarray(0, count * keySize);
  // A power of two at least twice the keys: probes stay short and the mask replaces a modulo.
  let size = 8;
  while (size < count * 2) size *= 2;
  const slots = new Int32Array(size);
  const mask = size - 1;
  await forEachSliced(count, slicing, (entry) => {
    let slot = hashBytes(keys, entry * keySize, keySize) & mask;
    while (slots[slot] !== EMPTY_SLOT) slot = (slot + 1) & mask;
    slots[slot] = entry + 1;
  });
  return {
    keySize,
    keys,
    seriesOfEntry: count === entries.count ? seriesOfEntry : seriesOfEntry.slice(0, count),
    slots,
    labels,
    plain,
    inOrder,
    replayable: count === entries.count && (skips === 0 || options.skipCache),
  };
}
