import { describe, expect, it } from 'vitest';
import { parseConfig } from './parse-config';
import { validateConfigAgainstMaps } from './validate-maps';

const config = parseConfig(
  `metrics:
  counters:
    - name: softirqs_total
      help: Softirqs by CPU
      labels:
        - { name: vec, size: 4, decoders: [{ name: uint }] }
        - { name: cpu, size: 2, decoders: [{ name: uint }] }
    - name: cpu_only_total
      help: Only a cpu label
      labels:
        - { name: cpu, size: 2, decoders: [{ name: uint }] }
    - name: padded_total
      help: Interface and IP version
      labels:
        - { name: interface, size: 4, decoders: [{ name: uint }] }
        - { name: ip_version, size: 1, padding: 3, decoders: [{ name: uint }] }
    - name: no_labels_total
      help: A single value
    - name: oom_kills_total
      help: OOM kills from a perf event array
      perf_event_array: true
      labels:
        - { name: cgroup, size: 8, decoders: [{ name: uint }] }
  histograms:
    - name: latency_seconds
      help: Latency
      bucket_type: exp2
      bucket_max: 20
      labels:
        - { name: bucket, size: 4, decoders: [{ name: uint }] }
`,
  'examples/layouts.yaml',
);

const goodMaps = [
  { name: 'softirqs_total', type: 'percpu_hash', keySize: 4, valueSize: 8 },
  { name: 'cpu_only_total', type: 'percpu_array', keySize: 4, valueSize: 8 },
  { name: 'padded_total', type: 'hash', keySize: 8, valueSize: 8 },
  { name: 'no_labels_total', type: 'array', keySize: 4, valueSize: 8 },
  { name: 'oom_kills_total', type: 'perf_event_array', keySize: 4, valueSize: 4 },
  { name: 'latency_seconds', type: 'hash', keySize: 4, valueSize: 8 },
];

describe('validateConfigAgainstMaps', () => {
  it('accepts label layouts with padding, per-CPU cpu labels and no labels', () => {
    expect(validateConfigAgainstMaps(config, goodMaps)).toEqual([]);
  });

  it('reports a missing map at the metric', () => {
    const errors = validateConfigAgainstMaps(config, goodMaps.filter((map) => map.name !== 'latency_seconds'));
    expect(errors.map((error) => error.message)).toEqual([
      'examples/layouts.yaml:25:7: metrics.histograms[0].name: no map named "latency_seconds" in layouts.bpf.o',
    ]);
  });

  it('reports values that are not u64, except for perf event arrays', () => {
    const maps = goodMaps.map((map) => (map.name === 'padded_total' ? { ...map, valueSize: 4 } : map));
    const errors = validateConfigAgainstMaps(config, maps);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 12, column: 7, field: 'metrics.counters[2].name' });
    expect(errors[0]?.problem).toMatch(/4-byte values, expected 8/);
  });

  it('reports a key size that does not match the labels, counting padding and leaving out the cpu label', () => {
    const maps = goodMaps.map((map) => (map.name === 'padded_total' || map.name === 'softirqs_total' ? { ...map, keySize: 6 } : map));
    const errors = validateConfigAgainstMaps(config, maps);
    expect(errors.map((error) => [error.field, error.problem])).toEqual([
      ['metrics.counters[0].labels', 'labels take 4 bytes (sizes plus paddings) but map "softirqs_total" has 6-byte keys'],
      ['metrics.counters[2].labels', 'labels take 8 bytes (sizes plus paddings) but map "padded_total" has 6-byte keys'],
    ]);
  });

  it('counts the cpu label as part of the key on maps that are not per-CPU', () => {
    const maps = goodMaps.map((map) => (map.name === 'softirqs_total' ? { ...map, type: 'hash' } : map));
    expect(validateConfigAgainstMaps(config, maps).map((error) => error.field)).toEqual(['metrics.counters[0].labels']);
  });

  it('checks the cgroup id map key and value sizes', () => {
    const withCgroupMap = parseConfig(
      'metrics:\n  counters: [{ name: c, help: c }]\ncgroup_id_map:\n  name: ids\n  type: cgrp_storage\n',
      'examples/ids.yaml',
    );
    const counterMap = { name: 'c', type: 'array', keySize: 4, valueSize: 8 };
    expect(validateConfigAgainstMaps(withCgroupMap, [counterMap, { name: 'ids', type: 'cgrp_storage', keySize: 4, valueSize: 8 }])).toEqual([]);
    const [error] = validateConfigAgainstMaps(withCgroupMap, [counterMap, { name: 'ids', type: 'hash', keySize: 8, valueSize: 8 }]);
    expect(error?.message).toBe(
      'examples/ids.yaml:4:3: cgroup_id_map.name: a cgrp_storage cgroup id map needs 4-byte keys and 8-byte values, map "ids" has 8 and 8',
    );
  });
});
