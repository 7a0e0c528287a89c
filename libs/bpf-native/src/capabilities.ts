import { nativeAddon } from './loader.js';

/**
 * Keeps only the capabilities numbered in `keep` (CAP_BPF = 39, CAP_SYSLOG = 34...) in the effective,
 * permitted and bounding sets of every thread of this process, intersects the inheritable sets with them and
 * clears the ambient sets. Irreversible. Returns how many threads were changed.
 *
 * Already open BPF objects, maps, links and event buffers keep working: the kernel checks capabilities when
 * they are created, not when an open descriptor is used.
 */
export function dropCapabilities(keep: readonly number[]): number {
  let mask = 0n;
  for (const cap of keep) {
    if (!Number.isInteger(cap) || cap < 0 || cap > 63) throw new RangeError(`dropCapabilities: ${String(cap)} is not a capability number`);
    mask |= 1n << BigInt(cap);
  }
  return nativeAddon().addon.dropCapabilities(mask);
}
