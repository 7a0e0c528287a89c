import { nativeAddon } from './loader.js';
import type { NativeCgroupEvent, NativeCgroupWatch } from './native.js';

/**
 * A directory created in or removed from a watched cgroup filesystem. `parentId` is the inode number of the
 * directory it happened in (for cgroup2, that directory's cgroup id); `mount` indexes the watched paths.
 * `overflow` means the kernel queue overflowed and events were lost: rescan. The kernel merges queued events
 * for the same name, so a create and a delete may arrive together in either real order: check what exists.
 */
export type CgroupEvent = NativeCgroupEvent;

/**
 * fanotify watch (FAN_CREATE/FAN_DELETE of directories, whole filesystem) on cgroup mounts, polled on a
 * native thread. Creating it needs CAP_SYS_ADMIN and a kernel whose kernfs reports directory events to
 * fanotify (6.6+); once created it keeps working after capabilities are dropped. It does not keep the
 * process alive; {@link CgroupWatch.close} stops it.
 */
export class CgroupWatch {
  private native: NativeCgroupWatch | undefined;

  private constructor(native: NativeCgroupWatch) {
    this.native = native;
  }

  /** Throws a {@link BpfError} (e.g. `EPERM`, `EINVAL` on kernels without directory events) naming the mount. */
  static open(mountPaths: readonly string[], onEvents: (events: CgroupEvent[]) => void): CgroupWatch {
    if (typeof onEvents !== 'function') throw new TypeError('CgroupWatch.open: expected an event callback');
    return new CgroupWatch(new (nativeAddon().addon.CgroupWatch)([...mountPaths], onEvents));
  }

  /** Stops the native thread; no callback runs afterwards. Idempotent. */
  close(): void {
    this.native?.close();
    this.native = undefined;
  }
}
