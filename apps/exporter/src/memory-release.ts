// What the exporter does after each scrape so its RSS follows what it really keeps. A first scrape of a
// big map, or one whose keys changed, leaves tens of megabytes of buffers behind (the map dump, decoding
// and sorting bookkeeping, a label arena replaced by one in series order). V8 frees buffers only when it
// collects, and it collects for buffer memory only after it grew by ~64 MB since the last time, so that
// garbage used to add itself to the next scrape's peak: a 1M-series map peaked at 236 MiB in its second
// scrape, and at 215 MiB with a collection as soon as a scrape leaves more than GARBAGE_LIMIT behind. Then
// malloc's free pages go back to the kernel (releaseFreeMemory), which glibc only does for its heap's end.
import { releaseFreeMemory } from '@ebpf-exporter/bpf-native';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Buffer memory a scrape may leave on top of what the last collection kept before the exporter collects. */
export const GARBAGE_LIMIT_BYTES = 32 * 2 ** 20;

/**
 * Below this many bytes (an exposition that fits in one chunk and is sent whole, ~1,500 series) a scrape
 * leaves too little garbage to look for; the check itself (memoryUsage() and malloc_trim(), ~0.2 ms) was
 * a fifth of a small scrape's CPU. Larger scrapes are checked every time, as they were before.
 */
export const SMALL_SCRAPE_BYTES = 64 * 1024;
/** Small scrapes still check once in this many, for garbage that does not show in the exposition's size. */
export const SMALL_SCRAPES_PER_CHECK = 32;

/**
 * A function to call after each scrape, with the size of what it sent. Creating it hands malloc's free
 * pages back at once: loading the objects parses the kernel's BTF once per object (5.5 MB here) and frees
 * it, which left ~13 MB of free heap pages resident for the life of the process.
 */
export function memoryReleaser(): (exposedBytes: number) => void {
  releaseFreeMemory();
  // gc() is only handed to contexts created once the flag is set: a new context hands it over.
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  let kept = process.memoryUsage().arrayBuffers;
  let smallScrapes = 0;
  return (exposedBytes) => {
    // The first scrape is checked too: it reads kallsyms, partitions and the like once.
    if (exposedBytes < SMALL_SCRAPE_BYTES && smallScrapes++ % SMALL_SCRAPES_PER_CHECK !== 0) return;
    const buffers = process.memoryUsage().arrayBuffers;
    if (buffers - kept > GARBAGE_LIMIT_BYTES) {
      collect();
      kept = process.memoryUsage().arrayBuffers;
    } else {
      // Fewer series than before: measure the next scrape's garbage from the lower level.
      kept = Math.min(kept, buffers);
    }
    releaseFreeMemory();
  };
}
