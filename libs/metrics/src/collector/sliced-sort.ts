import type { Slicing } from './map-entries';

/** Runs this long are sorted by insertion before the merges: below it, insertion does fewer comparisons. */
const RUN = 16;

/**
 * The indexes 0..count-1 sorted by `compare` (stable), as a bottom-up merge sort that gives the event loop
 * its turns (`slicing.pause()` every `slicing.entries` indexes placed): the first scrape of a million-entry
 * map sorts a million label sets, seconds of work that must not hold every other request. Two typed arrays
 * take turns as source and target: a fresh array per merge round was 8 MB of garbage each, ten times over.
 * Every comparison is a call from here, where V8 can inline `compare`: TypedArray.prototype.sort calls a
 * comparator through its builtin, which cost the first 1M scrape a second and a half.
 */
export async function sortIndexesSliced(count: number, compare: (a: number, b: number) => number, slicing: Slicing): Promise<Int32Array> {
  const sorted = Int32Array.from({ length: count }, (_, i) => i);
  // Indexes placed since the last pause.
  let placed = 0;
  for (let first = 0; first < count; first += RUN) {
    const end = Math.min(count, first + RUN);
    insertionSort(sorted, first, end, compare);
    placed += end - first;
    if (placed >= slicing.entries) {
      placed = 0;
      await slicing.pause();
    }
  }
  if (count <= RUN) return sorted;
  const cursor: MergeCursor = { from: sorted, to: new Int32Array(count), count, width: RUN, left: 0, i: 0, j: RUN, out: 0 };
  while (mergeSteps(cursor, compare, slicing.entries)) await slicing.pause();
  return cursor.from;
}

/** Where the bottom-up merge stands: merging from[left, left + width) with the run after it into `to`. */
interface MergeCursor {
  from: Int32Array;
  to: Int32Array;
  count: number;
  width: number;
  left: number;
  i: number;
  j: number;
  out: number;
}

/**
 * Places up to `steps` indexes; false once the sort is done (its result is then `cursor.from`). A plain
 * function with its state in locals: in the async caller every variable lives in a context, which made
 * each of the ~20M steps of a 1M sort several loads and stores slower.
 */
function mergeSteps(cursor: MergeCursor, compare: (a: number, b: number) => number, steps: number): boolean {
  let { from, to, width, left, i, j, out } = cursor;
  const { count } = cursor;
  let middle = Math.min(left + width, count);
  let right = Math.min(left + 2 * width, count);
  let more = true;
  for (let remaining = steps; remaining > 0; ) {
    if (i >= middle && j >= right) {
      left += 2 * width;
      if (left >= count) {
        [from, to] = [to, from];
        width *= 2;
        left = 0;
        out = 0;
        if (width >= count) {
          more = false;
          break;
        }
      }
      middle = Math.min(left + width, count);
      right = Math.min(left + 2 * width, count);
      i = left;
      j = middle;
      continue;
    }
    const takeLeft = j >= right || (i < middle && compare(from[i] as number, from[j] as number) <= 0);
    to[out++] = from[takeLeft ? i++ : j++] as number;
    remaining--;
  }
  Object.assign(cursor, { from, to, width, left, i, j, out });
  return more;
}

/** Sorts indexes[from, to) in place, stably. */
function insertionSort(indexes: Int32Array, from: number, to: number, compare: (a: number, b: number) => number): void {
  for (let k = from + 1; k < to; k++) {
    const moving = indexes[k] as number;
    let at = k - 1;
    while (at >= from && compare(indexes[at] as number, moving) > 0) {
      indexes[at + 1] = indexes[at] as number;
      at--;
    }
    indexes[at + 1] = moving;
  }
}
