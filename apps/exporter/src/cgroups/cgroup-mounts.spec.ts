import { describe, expect, it } from 'vitest';
import { parseCgroupMounts } from './cgroup-mounts';

const HYBRID_MOUNTINFO = [
  '25 24 0:22 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '26 25 0:23 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '33 25 0:30 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
  '40 24 0:35 / /sys/fs/bpf rw,relatime - bpf bpf rw',
  '41 24 0:36 / /mnt/with\\040space rw,relatime - cgroup2 cgroup2 rw',
].join('\n');

describe('parseCgroupMounts', () => {
  it('finds v2 and v1 mounts of the hybrid layout, v2 first', () => {
    expect(parseCgroupMounts(HYBRID_MOUNTINFO)).toEqual([
      { path: '/sys/fs/cgroup/unified', version: 2 },
      { path: '/mnt/with space', version: 2 },
      { path: '/sys/fs/cgroup/cpu', version: 1 },
    ]);
  });

  it('finds nothing without cgroup mounts', () => {
    expect(parseCgroupMounts('40 24 0:35 / /sys/fs/bpf rw,relatime - bpf bpf rw\n')).toEqual([]);
  });
});
