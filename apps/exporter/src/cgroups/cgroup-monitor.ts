// Resolves cgroup ids to paths for the `cgroup` decoder and tells cgroup_id_map which cgroups exist.
// The id of a cgroup is the inode number of its directory (for cgroup2 what bpf_get_current_cgroup_id()
// returns). New cgroups are learnt from fanotify directory events where the kernel and our capabilities
// allow it; otherwise from directory walks, rate limited. Removed cgroups stay resolvable for a grace period
// (samples recorded under their id are still in BPF maps) and are then forgotten, so memory stays bounded.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CgroupWatch, type CgroupEvent } from '@ebpf-exporter/bpf-native';
import { parseCgroupMounts, type CgroupMount } from './cgroup-mounts';

export interface CgroupChange {
  kind: 'add' | 'remove';
  id: bigint;
  path: string;
  version: 1 | 2;
}

export type CgroupListener = (change: CgroupChange) => void;

/** Starts a fanotify watch over the mount paths; throws where fanotify is unavailable. */
export type WatchFactory = (paths: string[], onEvents: (events: CgroupEvent[]) => void) => { close(): void };

export interface CgroupMonitorOptions {
  mounts: readonly CgroupMount[];
  /** Absent: directory walks only. */
  watch?: WatchFactory;
  now?: () => number;
  /** A resolve() miss walks the mounts again at most once per this many ms. */
  rewalkIntervalMs?: number;
  /** A removed cgroup is forgotten once unused for this long (upstream: 10 minutes). */
  forgetAfterMs?: number;
  /** How often removed cgroups are collected (upstream: every minute); 0 = only by collectGarbage(). */
  gcIntervalMs?: number;
  /** Without fanotify, how often listeners get a fresh walk's changes; 0 = only on resolve() misses. */
  pollIntervalMs?: number;
  /** Why fanotify could not be used, once. */
  onWatchUnavailable?: (error: unknown) => void;
}

interface Entry {
  id: bigint;
  path: string;
  mount: number;
  lastUsed: number;
  removedAt?: number;
}

export class CgroupMonitor {
  /** One id → entry index per mount: ids are inode numbers, unique only within one hierarchy. */
  private readonly byMount: Array<Map<bigint, Entry>>;
  private readonly byPath = new Map<string, Entry>();
  private readonly listeners = new Set<CgroupListener>();
  private readonly watcher: { close(): void } | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly now: () => number;
  private readonly rewalkIntervalMs: number;
  private readonly forgetAfterMs: number;
  private lastWalk = Number.NEGATIVE_INFINITY;
  private scheduledWalk: NodeJS.Timeout | undefined;

  constructor(private readonly options: CgroupMonitorOptions) {
    this.now = options.now ?? Date.now;
    this.rewalkIntervalMs = options.rewalkIntervalMs ?? 1000;
    this.forgetAfterMs = options.forgetAfterMs ?? 10 * 60_000;
    this.byMount = options.mounts.map(() => new Map());
    // The watch starts before the first walk, so a cgroup created during the walk is not missed.
    this.watcher = this.startWatch();
    this.walk();
    const gcIntervalMs = options.gcIntervalMs ?? 60_000;
    if (gcIntervalMs > 0) this.every(gcIntervalMs, () => this.collectGarbage());
  }

  /** `fanotify` when directory events arrive as they happen, else `walk`. */
  get mode(): 'fanotify' | 'walk' {
    return this.watcher === undefined ? 'walk' : 'fanotify';
  }

  /** Cgroups held in memory, removed ones still in their grace period included. */
  get size(): number {
    return this.byMount.reduce((sum, entries) => sum + entries.size, 0);
  }

  /** The path of cgroup `id`, cgroup2 first; a miss triggers a rate-limited walk. */
  resolve(id: bigint): string | undefined {
    const found = this.lookup(id) ?? (this.walkIfDue() ? this.lookup(id) : undefined);
    if (found === undefined) return undefined;
    found.lastUsed = this.now();
    return found.path;
  }

  /**
   * Calls `listener` with an `add` for every live cgroup now, then with each change as it is learnt.
   * Returns the unsubscribe function.
   */
  subscribe(listener: CgroupListener): () => void {
    this.listeners.add(listener);
    for (const entries of this.byMount) {
      for (const entry of entries.values()) if (entry.removedAt === undefined) listener(this.change('add', entry));
    }
    const pollIntervalMs = this.options.pollIntervalMs ?? 5000;
    if (this.mode === 'walk' && pollIntervalMs > 0 && this.listeners.size === 1) this.every(pollIntervalMs, () => this.walk());
    return () => this.listeners.delete(listener);
  }

  /** Forgets removed cgroups unused for the grace period; returns how many. */
  collectGarbage(): number {
    const now = this.now();
    let forgotten = 0;
    for (const entries of this.byMount) {
      for (const [id, entry] of entries) {
        if (entry.removedAt !== undefined && now - Math.max(entry.lastUsed, entry.removedAt) >= this.forgetAfterMs) {
          entries.delete(id);
          forgotten++;
        }
      }
    }
    return forgotten;
  }

  close(): void {
    this.watcher?.close();
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    clearTimeout(this.scheduledWalk);
    this.listeners.clear();
  }

  private startWatch(): { close(): void } | undefined {
    if (this.options.watch === undefined || this.options.mounts.length === 0) return undefined;
    try {
      return this.options.watch(
        this.options.mounts.map((m) => m.path),
        (events) => this.apply(events),
      );
    } catch (error) {
      this.options.onWatchUnavailable?.(error);
      return undefined;
    }
  }

  private every(intervalMs: number, task: () => void): void {
    const timer = setInterval(task, intervalMs);
    // Housekeeping must not keep the process alive on its own.
    timer.unref();
    this.timers.push(timer);
  }

  private lookup(id: bigint): Entry | undefined {
    for (const entries of this.byMount) {
      const entry = entries.get(id);
      if (entry !== undefined) return entry;
    }
    return undefined;
  }

  private apply(events: readonly CgroupEvent[]): void {
    for (const event of events) {
      const parent = event.kind === 'overflow' ? undefined : this.byMount[event.mount]?.get(event.parentId);
      if (parent === undefined || parent.removedAt !== undefined) {
        // Events were lost, or a parent we never saw: only a walk can tell what exists now.
        this.scheduleWalk();
        continue;
      }
      // The event says which name changed, not in which order merged events happened: look.
      this.refresh(event.mount, join(parent.path, event.name));
    }
  }

  /** Brings one path up to date with what the filesystem holds now. */
  private refresh(mount: number, path: string): void {
    let id: bigint | undefined;
    try {
      const stats = statSync(path, { bigint: true });
      if (stats.isDirectory()) id = stats.ino;
    } catch {
      // removed again already
    }
    const known = this.byPath.get(path);
    if (known !== undefined && known.id !== id) this.markRemoved(known);
    if (id !== undefined) this.add(mount, id, path);
  }

  /** A walk now if one is due, else once it is: a burst of unexplained events costs one walk per interval. */
  private scheduleWalk(): void {
    if (this.walkIfDue() || this.scheduledWalk !== undefined) return;
    const delay = this.lastWalk + this.rewalkIntervalMs - this.now();
    if (!Number.isFinite(delay)) return;
    this.scheduledWalk = setTimeout(() => {
      this.scheduledWalk = undefined;
      this.walk();
    }, delay);
    this.scheduledWalk.unref();
  }

  private walkIfDue(): boolean {
    if (this.now() - this.lastWalk < this.rewalkIntervalMs) return false;
    this.walk();
    return true;
  }

  private walk(): void {
    this.lastWalk = this.now();
    this.options.mounts.forEach((mount, index) => {
      const seen = new Set<bigint>();
      walkDirectory(mount.path, (id, path) => {
        seen.add(id);
        const known = this.byPath.get(path);
        if (known !== undefined && known.id !== id) this.markRemoved(known);
        this.add(index, id, path);
      });
      for (const entry of this.byMount[index]?.values() ?? []) if (!seen.has(entry.id)) this.markRemoved(entry);
    });
  }

  private add(mount: number, id: bigint, path: string): void {
    const entries = this.byMount[mount];
    if (entries === undefined) return;
    const existing = entries.get(id);
    if (existing !== undefined && existing.removedAt === undefined && existing.path === path) return;
    if (existing !== undefined && existing.removedAt === undefined) this.markRemoved(existing);
    const entry: Entry = { id, path, mount, lastUsed: this.now() };
    entries.set(id, entry);
    this.byPath.set(path, entry);
    this.emit(this.change('add', entry));
  }

  private markRemoved(entry: Entry): void {
    if (entry.removedAt !== undefined) return;
    entry.removedAt = this.now();
    if (this.byPath.get(entry.path) === entry) this.byPath.delete(entry.path);
    this.emit(this.change('remove', entry));
  }

  private change(kind: CgroupChange['kind'], entry: Entry): CgroupChange {
    return { kind, id: entry.id, path: entry.path, version: this.options.mounts[entry.mount]?.version ?? 2 };
  }

  private emit(change: CgroupChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

function walkDirectory(dir: string, visit: (id: bigint, path: string) => void): void {
  let id: bigint;
  try {
    id = statSync(dir, { bigint: true }).ino;
  } catch {
    return; // removed while walking
  }
  visit(id, dir);
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) if (entry.isDirectory()) walkDirectory(join(dir, entry.name), visit);
}

/**
 * The exporter's monitor: every cgroup mount of this host, fanotify where available. Must start before
 * capabilities are dropped (fanotify_init needs CAP_SYS_ADMIN).
 */
export function systemCgroupMonitor(mountinfo: string, onWatchUnavailable: (error: unknown) => void): CgroupMonitor {
  return new CgroupMonitor({ mounts: parseCgroupMounts(mountinfo), watch: (paths, onEvents) => CgroupWatch.open(paths, onEvents), onWatchUnavailable });
}
