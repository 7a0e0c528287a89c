/**
 * Node.js bindings for the system libbpf 1.x: BPF objects, their programs and maps, log routing.
 * The native part is `bpf_native.node` (built with `npx nx build bpf-native`).
 */
import type { IntegerLineWriter } from '@ebpf-exporter/map-types';
import { nativeAddon } from './loader.js';
import type { LogLevel } from './native.js';

export { BpfError } from './bpf-error.js';
export { BpfMap, type MapInfo, type ReadOptions, type UpdateFlag } from './bpf-map.js';
export { CgroupWatch, type CgroupEvent } from './cgroup-watch.js';
export { dropCapabilities } from './capabilities.js';
export { sdNotify } from './sd-notify.js';
export { BpfObject, type EventBuffer, type OpenOptions, type ProgramInfo } from './bpf-object.js';
export { ADDON_PATH_ENV } from './loader.js';
export type { LogLevel } from './native.js';

/**
 * Routes libbpf's log lines (from any thread) to `handler`; `null` restores the default, which prints
 * warnings and info to stderr. Lines arrive asynchronously, on the JS thread.
 */
export function setLogHandler(handler: ((level: LogLevel, message: string) => void) | null): void {
  if (handler !== null && typeof handler !== 'function') throw new TypeError('setLogHandler: expected a function or null');
  nativeAddon().addon.setLogHandler(handler);
}

/** The libbpf the addon runs with, e.g. `1.1`. */
export function libbpfVersion(): string {
  return nativeAddon().addon.libbpfVersion().replace(/^v/, '');
}

/**
 * Absolute path of the loaded addon. BPF can hook `uprobe/<addonPath()>:post_attach_mark`, or upstream's
 * `uprobe//proc/self/exe:post_attach_mark`, which the addon maps onto itself.
 */
export function addonPath(): string {
  return nativeAddon().path;
}

/** Calls the addon's empty `post_attach_mark` C function, firing uprobes placed on it (once all is attached). */
export function postAttachMark(): void {
  nativeAddon().addon.postAttachMark();
}

/**
 * The exposition's lines of small integer values written in C (memcpy and digits), for `expositionChunks`'
 * `integerLines` option: at 100k counter series it takes 40% of the JavaScript loop's time (1.9 ms, not 4.7).
 */
export function integerLineWriter(): IntegerLineWriter {
  return nativeAddon().addon.writeIntegerLines;
}

/**
 * Gives the free pages inside malloc's heaps back to the kernel (`malloc_trim`), which glibc does by itself
 * only for the free end of its main heap; returns whether anything was released. The exporter calls it
 * after each scrape, whose buffers the garbage collector frees in any order. Takes 0.1 to 1 ms.
 */
export function releaseFreeMemory(): boolean {
  return nativeAddon().addon.releaseFreeMemory();
}
