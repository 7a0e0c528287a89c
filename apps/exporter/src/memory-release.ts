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

/** A function to call after each scrape. */
export function memoryReleaser(): () => void {
  // gc() is only handed to contexts created once the flag is set: a new context hands it over.
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;
  let kept = process.memoryUsage().arrayBuffers;
  return () => {
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
