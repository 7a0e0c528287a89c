// The label texts of a series table, in exposition order, as UTF-8 in one buffer (see label-arena.ts for
// why not strings). A merge keeps the bytes of the texts that stay and appends new ones; the bytes of texts
// that died are reclaimed by compaction, which also lays the texts out back to back in order (the formatter
// copies them front to back, twice as fast as when it jumps around a 3 MB buffer at 100k series). Texts are
// kept by rank only: a million series cost their bytes and two offsets, not a second table by series id.
import { EMPTY_ARENA, LabelArenaBuilder } from '../label-arena';
import type { LabelArena } from '../model';
import { forEachSliced, type Slicing } from './map-entries';

/**
 * The series of a merge by rank, as the table's order holds them until their ids are given: `-1 - f` for a
 * new series of fresh text f, an id (>= 0) for one that was there before.
 */
type MergedOrder = Int32Array;

const freshTextAt = (order: MergedOrder, rank: number): number => -1 - (order[rank] as number);

export class LabelStore {
  private bytes: Uint8Array = new Uint8Array(0);
  private end = 0;
  private deadBytes = 0;
  /** The texts by rank (over `bytes`). */
  ranked: LabelArena = EMPTY_ARENA;

  /** Bytes held by texts of dead series. */
  get garbageBytes(): number {
    return this.deadBytes;
  }

  get liveBytes(): number {
    return this.end - this.deadBytes;
  }

  /**
   * Takes over the bytes of `fresh` (a first pass: its texts are not copied again), every rank of `order` a
   * new series; the texts no rank has (folded into another) are garbage.
   */
  adopt(fresh: LabelArena, order: MergedOrder): void {
    this.bytes = fresh.bytes;
    this.end = fresh.bytes.length;
    const starts = new Int32Array(order.length);
    const ends = new Int32Array(order.length);
    let live = 0;
    for (let rank = 0; rank < order.length; rank++) {
      const text = freshTextAt(order, rank);
      starts[rank] = fresh.starts[text] as number;
      ends[rank] = fresh.ends[text] as number;
      live += (ends[rank] as number) - (starts[rank] as number);
    }
    this.ranked = { bytes: fresh.bytes, starts, ends };
    this.deadBytes = this.end - live;
  }

  /** The texts after a merge: old rank o at `rankOfOld[o]` (-1: gone, its bytes garbage), new series' texts appended. */
  rebuild(rankOfOld: Int32Array, fresh: LabelArena, order: MergedOrder): void {
    const starts = new Int32Array(order.length);
    const ends = new Int32Array(order.length);
    const old = this.ranked;
    for (let o = 0; o < rankOfOld.length; o++) {
      const rank = rankOfOld[o] as number;
      if (rank === -1) this.deadBytes += (old.ends[o] as number) - (old.starts[o] as number);
      else {
        starts[rank] = old.starts[o] as number;
        ends[rank] = old.ends[o] as number;
      }
    }
    for (let rank = 0; rank < order.length; rank++) {
      if ((order[rank] as number) >= 0) continue;
      const text = freshTextAt(order, rank);
      const start = fresh.starts[text] as number;
      const length = (fresh.ends[text] as number) - start;
      this.reserve(length);
      this.bytes.set(fresh.bytes.subarray(start, start + length), this.end);
      starts[rank] = this.end;
      ends[rank] = this.end += length;
    }
    this.ranked = { bytes: this.bytes.subarray(0, this.end), starts, ends };
  }

  /** Copies the texts back to back in rank order into a buffer of their size: dead ones are dropped. */
  async compact(slicing: Slicing): Promise<void> {
    const old = this.ranked;
    const builder = new LabelArenaBuilder(old.starts.length, this.liveBytes);
    await forEachSliced(old.starts.length, slicing, (rank) => builder.copy(old, rank));
    this.ranked = builder.finish();
    this.bytes = this.ranked.bytes;
    this.end = this.bytes.length;
    this.deadBytes = 0;
  }

  private reserve(length: number): void {
    if (this.end + length <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(64, this.bytes.length * 2, this.end + length));
    grown.set(this.bytes.subarray(0, this.end));
    this.bytes = grown;
  }
}
