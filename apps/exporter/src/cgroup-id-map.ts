// Keeps each config's cgroup_id_map BPF map in step with the cgroups whose path matches one of its regexps,
// so BPF programs can filter on "is this task's cgroup one we care about" with a single lookup:
// - type hash: key = cgroup id (u64), value = 1; the key is deleted when the cgroup goes.
// - type cgrp_storage: key = an open descriptor of the cgroup directory (the kernel keys the storage by the
//   cgroup it names), value = 1; the kernel frees the storage with the cgroup.
// Regexps match the full path the `cgroup` decoder shows (mount point included).
import { closeSync, openSync } from 'node:fs';
import type { BpfMap } from '@ebpf-exporter/bpf-native';
import type { GoRegexp } from '@ebpf-exporter/metrics';
import type { AttachedConfig } from './bpf-runtime';
import type { CgroupChange, CgroupMonitor } from './cgroups/cgroup-monitor';
import type { Logger } from './logger';

const ONE = u64(1n);

function u64(value: bigint): Uint8Array {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(value);
  return bytes;
}

function u32(value: number): Uint8Array {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}

/** Writes the matching cgroup2 cgroups into `map` as the monitor reports them; returns the unsubscribe function. */
export function syncCgroupIdMap(
  configName: string,
  map: BpfMap,
  type: 'hash' | 'cgrp_storage',
  regexps: readonly GoRegexp[],
  monitor: CgroupMonitor,
  log: Logger,
): () => void {
  const apply = (change: CgroupChange): void => {
    // BPF sees cgroup2 ids only (bpf_get_current_cgroup_id, task cgroup storage): v1 hierarchies do not apply.
    if (change.version !== 2 || !regexps.some((regexp) => regexp.test(change.path))) return;
    try {
      if (type === 'hash') {
        if (change.kind === 'add') map.update(u64(change.id), ONE);
        else map.delete(u64(change.id));
      } else if (change.kind === 'add') {
        const fd = openSync(change.path, 'r');
        try {
          map.update(u32(fd), ONE);
        } finally {
          closeSync(fd);
        }
      }
    } catch (error) {
      // A cgroup removed between event and update, or a full map: the exporter keeps serving.
      log.warn(`config ${configName}: cgroup_id_map ${map.info.name}: ${change.kind} ${change.path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return monitor.subscribe(apply);
}

/** Starts the sync for every config that has a cgroup_id_map; returns one function that stops them all. */
export function syncCgroupIdMaps(attached: readonly AttachedConfig[], monitor: CgroupMonitor, log: Logger): () => void {
  const stops = attached.flatMap(({ config, object }) => {
    const spec = config.cgroupIdMap;
    if (spec === undefined) return [];
    return [syncCgroupIdMap(config.name, object.map(spec.name), spec.type, spec.regexps, monitor, log)];
  });
  return () => {
    for (const stop of stops) stop();
  };
}
