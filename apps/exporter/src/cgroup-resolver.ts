// Resolves cgroup ids (what bpf_get_current_cgroup_id() returns: the inode of the cgroup v2 directory)
// to paths. Machines differ: pure v2 at /sys/fs/cgroup, the hybrid layout (v2 at /sys/fs/cgroup/unified
// beside v1 controllers) and v1-only hosts. Every cgroup mount from mountinfo is walked, cgroup2 first so
// its ids win when a v1 hierarchy happens to reuse an inode number.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface CgroupMount {
  path: string;
  version: 1 | 2;
}

/** Reads cgroup mount points from a mountinfo text (`/proc/self/mountinfo`). */
export function parseCgroupMounts(mountinfo: string): CgroupMount[] {
  const mounts: CgroupMount[] = [];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const fsType = right.split(' ')[0];
    const mountPoint = left.split(' ')[4];
    if (!mountPoint) continue;
    const path = mountPoint.replace(/\\040/g, ' ');
    if (fsType === 'cgroup2') mounts.push({ path, version: 2 });
    else if (fsType === 'cgroup') mounts.push({ path, version: 1 });
  }
  return mounts.sort((a, b) => b.version - a.version);
}

export interface CgroupResolverOptions {
  mounts: CgroupMount[];
  /** A miss triggers at most one re-walk per this many milliseconds, so an unknown id cannot make every scrape walk the tree. */
  rewalkIntervalMs?: number;
  now?: () => number;
}

export class CgroupResolver {
  private paths = new Map<bigint, string>();
  private lastWalk = Number.NEGATIVE_INFINITY;
  private readonly rewalkIntervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: CgroupResolverOptions) {
    this.rewalkIntervalMs = options.rewalkIntervalMs ?? 1000;
    this.now = options.now ?? Date.now;
  }

  resolve(id: bigint): string | undefined {
    const known = this.paths.get(id);
    if (known !== undefined) return known;
    if (this.now() - this.lastWalk < this.rewalkIntervalMs) return undefined;
    this.walk();
    return this.paths.get(id);
  }

  /** Number of cgroups currently known; the map is rebuilt on every walk, so removed cgroups drop out. */
  get size(): number {
    return this.paths.size;
  }

  private walk(): void {
    const fresh = new Map<bigint, string>();
    for (const mount of this.options.mounts) walkDirectory(mount.path, fresh);
    this.paths = fresh;
    this.lastWalk = this.now();
  }
}

function walkDirectory(dir: string, into: Map<bigint, string>): void {
  let inode: bigint;
  try {
    inode = statSync(dir, { bigint: true }).ino;
  } catch {
    return; // removed while walking
  }
  if (!into.has(inode)) into.set(inode, dir);
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) if (entry.isDirectory()) walkDirectory(join(dir, entry.name), into);
}

export function systemCgroupResolver(): CgroupResolver {
  return new CgroupResolver({ mounts: parseCgroupMounts(readFileSync('/proc/self/mountinfo', 'utf8')) });
}
