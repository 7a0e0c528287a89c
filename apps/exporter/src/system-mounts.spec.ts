import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';
import { ensureKernelMounts, mountedTypes } from './system-mounts';

describe('ensureKernelMounts', () => {
  it('parses /proc/mounts lines', () => {
    const types = mountedTypes('bpf /sys/fs/bpf bpf rw 0 0\nproc /proc proc rw 0 0\n');
    expect(types.get('/sys/fs/bpf')).toBe('bpf');
    expect(types.get('/proc')).toBe('proc');
  });

  it('leaves bpffs and tracefs mounted on this machine (root)', () => {
    const lines: string[] = [];
    ensureKernelMounts(createLogger({ timestamps: false, debug: false, write: (l) => lines.push(l) }));
    const types = mountedTypes(readFileSync('/proc/mounts', 'utf8'));
    expect(types.get('/sys/fs/bpf')).toBe('bpf');
    expect(types.get('/sys/kernel/tracing')).toBe('tracefs');
    expect(lines.filter((l) => l.includes('failed'))).toEqual([]);
  });
});
