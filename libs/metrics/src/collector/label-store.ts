// The label texts of a series table, one per series id, as UTF-8 in one buffer (see label-arena.ts for why
// not strings). A series keeps its id, and its text its bytes, for as long as it lives; the ids of series
// that died are given to new ones, and the bytes of their texts are reclaimed by compaction, which also lays
// the texts out in exposition order (the formatter copies them front to back, twice as fast as when it jumps
// around a 3 MB buffer at 100k series).
import type { LabelArena } from '../model';
import { forEachSliced, type Slicing } from './map-entries';

const encoder = new TextEncoder();

export class LabelStore {
  private bytes: Uint8Array = new Uint8Array(64);
  private end = 0;
  /** Per id: where its text lies in `bytes`; owned by the store unless `adopted` (see adopt). */
  private starts: Int32Array = new Int32Array(16);
  private ends: Int32Array = new Int32Array(16);
  private adopted = false;
  /** Ids in use or free: `ids` is one past the highest ever given. */
  private ids = 0;
  private readonly freeIds: number[] = [];
  private deadBytes = 0;

  /** Bytes held by texts of dead series. */
  get garbageBytes(): number {
    return this.deadBytes;
  }

  get liveBytes(): number {
    return this.end - this.deadBytes;
  }

  /** Takes over the texts of `arena` as ids 0..n-1 (a first pass: its texts are not copied again). */
  adopt(arena: LabelArena): void {
    this.bytes = arena.bytes;
    this.end = arena.bytes.length;
    this.starts = arena.starts;
    this.ends = arena.ends;
    // A builder's starts and ends may be overlapping views of one array: copied before the first write.
    this.adopted = true;
    this.ids = arena.starts.length;
    this.freeIds.length = 0;
    this.deadBytes = 0;
  }

  /** Stores text `index` of `arena`; returns its series id. */
  copy(arena: LabelArena, index: number): number {
    const start = arena.starts[index] as number;
    const length = (arena.ends[index] as number) - start;
    this.reserveBytes(length);
    this.bytes.set(arena.bytes.subarray(start, start + length), this.end);
    return this.place(this.end, (this.end += length));
  }

  /** Stores `text`; returns its series id. */
  add(text: string): number {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    this.reserveBytes(text.length * 3);
    const start = this.end;
    this.end += encoder.encodeInto(text, this.bytes.subarray(this.end)).written;
    return this.place(start, this.end);
  }

  /** Ends series `id`: its id goes to the next new series, its bytes to the next compaction. */
  free(id: number): void {
    this.deadBytes += (this.ends[id] as number) - (this.starts[id] as number);
    this.freeIds.push(id);
  }

  /** The texts of `ids`, in that order, as an arena over the store's bytes (valid until the store changes). */
  arenaOf(ids: Int32Array): LabelArena {
    const { starts, ends } = this;
    return { bytes: this.bytes.subarray(0, this.end), starts: ids.map((id) => starts[id] as number), ends: ids.map((id) => ends[id] as number) };
  }

  /**
   * Copies the texts of `ids` (every live series) back to back in that order into a new buffer: dead
   * texts are dropped and the exposition reads the bytes front to back. Ids do not change.
   */
  async compact(ids: Int32Array, slicing: Slicing): Promise<void> {
    const bytes = new Uint8Array(Math.max(64, this.liveBytes));
    const starts = new Int32Array(Math.max(16, this.ids));
    const ends = new Int32Array(starts.length);
    let end = 0;
    await forEachSliced(ids.length, slicing, (rank) => {
      const id = ids[rank] as number;
      const start = this.starts[id] as number;
      const length = (this.ends[id] as number) - start;
      bytes.set(this.bytes.subarray(start, start + length), end);
      starts[id] = end;
      ends[id] = end += length;
    });
    Object.assign(this, { bytes, end, starts, ends, adopted: false, deadBytes: 0 });
  }

  private place(start: number, end: number): number {
    const id = this.freeIds.pop() ?? this.ids++;
    this.reserveIds();
    this.starts[id] = start;
    this.ends[id] = end;
    return id;
  }

  private reserveBytes(length: number): void {
    if (this.end + length <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.end + length));
    grown.set(this.bytes.subarray(0, this.end));
    this.bytes = grown;
  }

  private reserveIds(): void {
    if (!this.adopted && this.ids <= this.starts.length) return;
    const size = Math.max(16, this.ids * 2);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    starts.set(this.starts.subarray(0, Math.min(this.starts.length, this.ids)));
    ends.set(this.ends.subarray(0, Math.min(this.ends.length, this.ids)));
    Object.assign(this, { starts, ends, adopted: false });
  }
}
