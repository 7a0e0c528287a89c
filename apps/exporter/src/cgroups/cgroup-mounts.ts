// Where the cgroup hierarchies are mounted. Machines differ: pure v2 at /sys/fs/cgroup, the hybrid layout
// (v2 at /sys/fs/cgroup/unified beside v1 controllers) and v1-only hosts.

export interface CgroupMount {
  path: string;
  version: 1 | 2;
}

/**
 * Cgroup mount points from a mountinfo text (`/proc/self/mountinfo`), cgroup2 first so that its ids (what
 * bpf_get_current_cgroup_id() returns) win when a v1 hierarchy happens to reuse an inode number.
 */
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
