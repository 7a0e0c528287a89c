// The sync against a real BPF map (the e2e fixture object, loaded but not attached) and the real cgroup2
// mount of this machine, as root.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BpfObject, CgroupWatch } from '@ebpf-exporter/bpf-native';
import { compileGoRegexp } from '@ebpf-exporter/metrics';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { syncCgroupIdMap } from './cgroup-id-map';
import { CgroupMonitor } from './cgroups/cgroup-monitor';
import { parseCgroupMounts } from './cgroups/cgroup-mounts';
import type { Logger } from './logger';

const REPO_ROOT = join(import.meta.dirname, '../../..');
const MOUNTS = parseCgroupMounts(readFileSync('/proc/self/mountinfo', 'utf8'));
const V2 = MOUNTS.find((m) => m.version === 2)?.path;
const V1 = MOUNTS.find((m) => m.version === 1)?.path;
const MATCHING = [compileGoRegexp('/idmap-spec-')];

let dir: string;
const warnings: string[] = [];
const log: Logger = { info: () => {}, debug: () => {}, warn: (message) => void warnings.push(message) };
const cleanups: Array<() => void> = [];

function compile(variant: 'hash' | 'cgrp_storage'): string {
  const output = join(dir, `${variant}.bpf.o`);
  execFileSync('clang', [
    '-g', '-O2', '-target', 'bpf', '-D__TARGET_ARCH_x86',
    `-I${join(REPO_ROOT, 'include/x86')}`, `-I${join(REPO_ROOT, 'include')}`, '-I/usr/include/x86_64-linux-gnu',
    ...(variant === 'cgrp_storage' ? ['-DCGRP_STORAGE'] : []),
    '-c', join(REPO_ROOT, 'apps/exporter/e2e/fixtures/cgroup-id-map.bpf.c'), '-o', output,
  ]);
  return output;
}

async function started(variant: 'hash' | 'cgrp_storage'): Promise<{ object: BpfObject; monitor: CgroupMonitor }> {
  const object = BpfObject.open(join(dir, `${variant}.bpf.o`));
  await object.load();
  const monitor = new CgroupMonitor({ mounts: MOUNTS, watch: (paths, onEvents) => CgroupWatch.open(paths, onEvents), gcIntervalMs: 0 });
  const stop = syncCgroupIdMap('spec', object.map('e2e_cg_filter'), variant, MATCHING, monitor, log);
  cleanups.push(() => {
    stop();
    monitor.close();
    object.close();
  });
  return { object, monitor };
}

function makeCgroup(parent: string, name: string): { path: string; id: bigint } {
  const path = join(parent, `${name}-${process.pid}`);
  mkdirSync(path);
  cleanups.push(() => rmdirSync(path));
  return { path, id: statSync(path, { bigint: true }).ino };
}

function u64(value: bigint): Uint8Array {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(value);
  return bytes;
}

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the map');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// Compiling and loading take seconds when the machine is busy with other test files.
const SLOW = { timeout: 30_000 };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cgroup-id-map-spec-'));
  compile('hash');
  compile('cgrp_storage');
}, 60_000);

afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      cleanup();
    } catch {
      // a cgroup the test already removed
    }
  }
  warnings.length = 0;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(V2 !== undefined)('syncCgroupIdMap', SLOW, () => {
  const v2 = V2 ?? '';

  it('hash: writes 1 under the id of matching cgroups, existing and new, and deletes it on removal', async () => {
    const early = makeCgroup(v2, 'idmap-spec-early');
    const { object } = await started('hash');
    const filter = object.map('e2e_cg_filter');
    expect(filter.lookup(u64(early.id))).toEqual(u64(1n));

    const late = makeCgroup(v2, 'idmap-spec-late');
    const other = makeCgroup(v2, 'unmatched');
    await until(() => filter.lookup(u64(late.id)) !== undefined);
    expect(filter.lookup(u64(other.id))).toBeUndefined();

    rmdirSync(late.path);
    await until(() => filter.lookup(u64(late.id)) === undefined);
    expect(filter.lookup(u64(early.id))).toEqual(u64(1n));
    expect(warnings).toEqual([]);
  });

  it.runIf(V1 !== undefined)('ignores v1 hierarchies: BPF sees cgroup2 ids only', async () => {
    const { object } = await started('hash');
    const v1 = makeCgroup(V1 ?? '', 'idmap-spec-v1');
    const v2Cgroup = makeCgroup(v2, 'idmap-spec-v2');
    const filter = object.map('e2e_cg_filter');
    await until(() => filter.lookup(u64(v2Cgroup.id)) !== undefined);
    expect(filter.lookup(u64(v1.id))).toBeUndefined();
  });

  it('cgrp_storage: gives matching cgroups storage, looked up through a directory descriptor', async () => {
    const { object } = await started('cgrp_storage');
    const filter = object.map('e2e_cg_filter');
    const late = makeCgroup(v2, 'idmap-spec-storage');
    const other = makeCgroup(v2, 'unmatched-storage');
    const lookupByPath = (path: string): Uint8Array | undefined => {
      const fd = openSync(path, 'r');
      try {
        const key = Buffer.alloc(4);
        key.writeUInt32LE(fd);
        return filter.lookup(key);
      } finally {
        closeSync(fd);
      }
    };
    await until(() => lookupByPath(late.path) !== undefined);
    expect(lookupByPath(late.path)).toEqual(u64(1n));
    expect(lookupByPath(other.path)).toBeUndefined();
  });
});
