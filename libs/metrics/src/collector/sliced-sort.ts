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
  let sorted = Int32Array.from({ length: count }, (_, i) => i);
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
  let merged = new Int32Array(count);
  for (let width = RUN; width < count; width *= 2) {
    let out = 0;
    for (let left = 0; left < count; left += 2 * width) {
      const middle = Math.min(left + width, count);
      const right = Math.min(left + 2 * width, count);
      let i = left;
      let j = middle;
      while (i < middle || j < right) {
        const takeLeft = j >= right || (i < middle && compare(sorted[i] as number, sorted[j] as number) <= 0);
        merged[out++] = sorted[takeLeft ? i++ : j++] as number;
        if (++placed >= slicing.entries) {
          placed = 0;
          await slicing.pause();
        }
      }
    }
    [sorted, merged] = [merged, sorted];
  }
  return sorted;
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
