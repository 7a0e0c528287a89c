import { mkdirSync, mkdtempSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CgroupResolver, parseCgroupMounts, systemCgroupResolver } from './cgroup-resolver';

const HYBRID_MOUNTINFO = [
  '25 24 0:22 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '26 25 0:23 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '33 25 0:30 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
  '40 24 0:35 / /sys/fs/bpf rw,relatime - bpf bpf rw',
].join('\n');

describe('parseCgroupMounts', () => {
  it('finds v2 and v1 mounts of the hybrid layout, v2 first', () => {
    expect(parseCgroupMounts(HYBRID_MOUNTINFO)).toEqual([
      { path: '/sys/fs/cgroup/unified', version: 2 },
      { path: '/sys/fs/cgroup/cpu', version: 1 },
    ]);
  });
});

describe('CgroupResolver', () => {
  it('maps directory inodes to paths and sees new directories after a miss', () => {
    const root = mkdtempSync(join(tmpdir(), 'cgroups-'));
    mkdirSync(join(root, 'system.slice'));
    let clock = 0;
    const resolver = new CgroupResolver({ mounts: [{ path: root, version: 2 }], rewalkIntervalMs: 1000, now: () => clock });
    const sliceId = statSync(join(root, 'system.slice'), { bigint: true }).ino;
    expect(resolver.resolve(sliceId)).toBe(join(root, 'system.slice'));

    mkdirSync(join(root, 'late'));
    const lateId = statSync(join(root, 'late'), { bigint: true }).ino;
    expect(resolver.resolve(lateId)).toBeUndefined(); // re-walk rate limited
    clock = 5000;
    expect(resolver.resolve(lateId)).toBe(join(root, 'late'));
    rmdirSync(join(root, 'late'));
    rmdirSync(join(root, 'system.slice'));
    rmdirSync(root);
  });

  it('resolves the real cgroup v2 root of this machine', () => {
    const mounts = parseCgroupMounts(readFileSync('/proc/self/mountinfo', 'utf8'));
    const v2 = mounts.find((m) => m.version === 2);
    if (!v2) return expect(mounts.length).toBeGreaterThan(0);
    const resolver = systemCgroupResolver();
    expect(resolver.resolve(statSync(v2.path, { bigint: true }).ino)).toBe(v2.path);
  });
});
