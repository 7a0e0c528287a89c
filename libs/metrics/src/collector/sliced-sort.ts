import type { Slicing } from './map-entries';

/**
 * Sorts like `[...items].sort(compare)`, but as a bottom-up merge sort that gives the event loop its turns
 * (`slicing.pause()` every `slicing.entries` items placed): the first scrape of a million-entry map sorts a
 * million label sets, seconds of work that must not hold every other request.
 */
export async function sortSliced<T>(items: readonly T[], compare: (a: T, b: T) => number, slicing: Slicing): Promise<T[]> {
  const count = items.length;
  let sorted: T[] = [];
  for (let first = 0; first < count; first += slicing.entries) {
    if (first > 0) await slicing.pause();
    for (const item of items.slice(first, first + slicing.entries).sort(compare)) sorted.push(item);
  }
  for (let width = slicing.entries; width < count; width *= 2) {
    const merged: T[] = [];
    for (let left = 0; left < count; left += 2 * width) {
      const middle = Math.min(left + width, count);
      const right = Math.min(left + 2 * width, count);
      let i = left;
      let j = middle;
      while (i < middle || j < right) {
        const takeLeft = j >= right || (i < middle && compare(sorted[i] as T, sorted[j] as T) <= 0);
        merged.push(sorted[takeLeft ? i++ : j++] as T);
        if (merged.length % slicing.entries === 0) await slicing.pause();
      }
    }
    sorted = merged;
  }
  return sorted;
}
