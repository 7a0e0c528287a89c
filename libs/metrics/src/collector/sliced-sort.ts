import type { Slicing } from './map-entries';

/**
 * The indexes 0..count-1 sorted by `compare`, as a bottom-up merge sort that gives the event loop its turns
 * (`slicing.pause()` every `slicing.entries` indexes placed): the first scrape of a million-entry map sorts a
 * million label sets, seconds of work that must not hold every other request. Two typed arrays take turns
 * as source and target: a fresh array per merge round was 8 MB of garbage each, ten times over.
 */
export async function sortIndexesSliced(count: number, compare: (a: number, b: number) => number, slicing: Slicing): Promise<Int32Array> {
  let sorted = Int32Array.from({ length: count }, (_, i) => i);
  for (let first = 0; first < count; first += slicing.entries) {
    if (first > 0) await slicing.pause();
    sorted.subarray(first, Math.min(count, first + slicing.entries)).sort(compare);
  }
  let merged = new Int32Array(count);
  for (let width = slicing.entries; width < count; width *= 2) {
    let out = 0;
    for (let left = 0; left < count; left += 2 * width) {
      const middle = Math.min(left + width, count);
      const right = Math.min(left + 2 * width, count);
      let i = left;
      let j = middle;
      while (i < middle || j < right) {
        const takeLeft = j >= right || (i < middle && compare(sorted[i] as number, sorted[j] as number) <= 0);
        merged[out++] = sorted[takeLeft ? i++ : j++] as number;
        if (out % slicing.entries === 0) await slicing.pause();
      }
    }
    [sorted, merged] = [merged, sorted];
  }
  return sorted;
}
