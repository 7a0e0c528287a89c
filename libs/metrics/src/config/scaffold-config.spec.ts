import type { MapTypes } from '@ebpf-exporter/map-types';
import { describe, expect, it } from 'vitest';
import { array, char, enumType, int, mapTypes, pointer, struct } from '../testing/btf-types';
import { renderLayout } from './btf-layout';
import { checkLabelLayouts } from './label-layout-check';
import { parseConfig } from './parse-config';
import { renderScaffold, scaffoldMetrics } from './scaffold-config';

const labelsOf = (map: MapTypes): string[] =>
  scaffoldMetrics([map]).metrics.flatMap((metric) => metric.labels.map((label) => `${label.name}:${label.size}+${label.padding}:${label.decoders.map((d) => d.name).join(',')}`));

describe('scaffoldMetrics', () => {
  // Each row: a key member and the label the scaffold makes of it.
  it.each([
    { member: 'dev', type: int(4), label: 'dev:4+0:majorminor' },
    { member: 'comm', type: array(char(), 16), label: 'comm:16+0:string' },
    { member: 'cgroup_id', type: int(8), label: 'cgroup_id:8+0:uint,cgroup' },
    { member: 'syscall_id', type: int(8), label: 'syscall_id:8+0:uint,syscall' },
    { member: 'errno', type: int(4), label: 'errno:4+0:uint,errno' },
    { member: 'ifindex', type: int(4), label: 'ifindex:4+0:ifname' },
    { member: 'saddr', type: array(int(1), 16), label: 'saddr:16+0:inet_ip' },
    { member: 'daddr', type: int(4), label: 'daddr:4+0:inet_ip' },
    { member: 'function', type: pointer('void'), label: 'function:8+0:ksym' },
    { member: 'kstack', type: array(int(8), 20), label: 'kstack:160+0:kstack' },
    { member: 'state', type: enumType('tcp_state', { TCP_ESTABLISHED: 1, TCP_CLOSE: 7 }), label: 'state:4+0:uint,static_map' },
    { member: 'port', type: int(2), label: 'port:2+0:uint' },
  ])('$member ($type.name) -> $label', ({ member, type, label }) => {
    expect(labelsOf(mapTypes('things_total', struct('key', [[member, type]])))).toEqual([label]);
  });

  it('gives holes and explicit pad members to the label before them as padding', () => {
    const key = struct('key', [
      ['proto', int(1)],
      ['pad', array(int(1), 3)],
      ['op', int(1)],
      ['ts', int(8)],
      ['tail', int(4)],
    ]);
    expect(labelsOf(mapTypes('things_total', key))).toEqual(['proto:1+3:uint', 'op:1+3:uint', 'ts:8+0:uint', 'tail:4+4:uint']);
  });

  it('makes a histogram when the last member is named like a bucket, with bucket_max from an array of buckets', () => {
    const scaffold = scaffoldMetrics([
      mapTypes('io_latency_seconds', struct('key', [['dev', int(4)], ['slot', int(4)]])),
      mapTypes('runs_seconds', int(4), { type: 'array', maxEntries: 21 }),
    ]);
    expect(scaffold.metrics.map(({ kind, name, bucketMax, bucketMultiplier, labels }) => ({ kind, name, bucketMax, bucketMultiplier, last: labels.at(-1)?.name }))).toEqual([
      { kind: 'histogram', name: 'io_latency_seconds', bucketMax: 26, bucketMultiplier: 0.000001, last: 'bucket' },
      { kind: 'histogram', name: 'runs_seconds', bucketMax: 19, bucketMultiplier: 0.000001, last: 'bucket' },
    ]);
  });

  it('leaves out per-event state, events and maps without a BTF key, saying why', () => {
    const scaffold = scaffoldMetrics([
      mapTypes('start', int(4)),
      mapTypes('created_at', pointer('struct sock'), { type: 'lru_hash' }),
      mapTypes('events', undefined, { type: 'ringbuf' }),
      mapTypes('sized_total', undefined),
      mapTypes('example.rodata', int(4), { type: 'array', internal: true }),
    ]);
    expect(scaffold.metrics).toEqual([]);
    expect(scaffold.skipped.map(({ map, reason }) => `${map}: ${reason}`)).toEqual([
      'start: named like per-event state (a start timestamp), not a metric',
      'created_at: keyed by struct sock *: per-object state, not labels',
      'events: a ringbuf map: not a counter or histogram (events and spans need a human)',
      'sized_total: no BTF for its key (declared with key_size, or built without -g)',
      'example.rodata: libbpf global data',
    ]);
  });

  it('makes one counter per integer of a struct value, a gauge of a signed value, no labels for a one-entry array', () => {
    const stats = struct('stats', [['bytes', int(8)], ['packets', int(8)]]);
    const scaffold = scaffoldMetrics([
      mapTypes('tx_stats', struct('key', [['ifindex', int(4)]]), { value: stats, valueSize: 16 }),
      mapTypes('sockets', int(4), { value: int(8, 's64', true) }),
      mapTypes('pages_total', int(4), { type: 'array', maxEntries: 1 }),
    ]);
    expect(scaffold.metrics.map(({ kind, name, map, value, labels }) => ({ kind, name, map, value, labels: labels.length }))).toEqual([
      { kind: 'counter', name: 'tx_stats_bytes_total', map: 'tx_stats', value: { offset: 0, size: 8, signed: false }, labels: 1 },
      { kind: 'counter', name: 'tx_stats_packets_total', map: 'tx_stats', value: { offset: 8, size: 8, signed: false }, labels: 1 },
      { kind: 'gauge', name: 'sockets', map: 'sockets', value: { offset: 0, size: 8, signed: true }, labels: 1 },
      { kind: 'counter', name: 'pages_total', map: 'pages_total', value: undefined, labels: 0 },
    ]);
  });
});

describe('renderScaffold', () => {
  const maps = [
    mapTypes('op_latency_seconds', struct('key', [['op', enumType('op', { OP_READ: 0, OP_WRITE: 1 }, 1)], ['ts_pad', int(1)], ['bucket', int(8)]])),
    mapTypes('calls_total', struct('call_key', [['comm', array(char(), 16)], ['cgroup', int(8)], ['flags', int(1)]]), { type: 'percpu_hash' }),
    mapTypes('start', int(8)),
  ];

  it('writes a config that parses and matches the key structs without a single finding', () => {
    const text = renderScaffold('example.bpf.o', scaffoldMetrics(maps));
    const config = parseConfig(text, 'example.yaml');
    expect(config.metrics.histograms.map((metric) => metric.name)).toEqual(['op_latency_seconds']);
    expect(config.metrics.counters.map((metric) => metric.name)).toEqual(['calls_total']);
    expect(checkLabelLayouts(config, maps)).toEqual([]);
    expect(text).toContain('#   start: named like per-event state');
    expect(text).toContain('# decide: static_map from enum op');
    expect(text).toContain('# a per-CPU map: its CPUs are summed');
    expect(config.metrics.histograms[0]?.labels[0]?.decoders[1]?.staticMap).toEqual(new Map([['0', 'op_read'], ['1', 'op_write']]));
  });
});

describe('renderLayout', () => {
  it('prints arrays, pointers, nested structs and tail padding as pahole does', () => {
    const key = struct('flow_key', [
      ['addrs', struct('addrs', [['saddr', array(int(1), 4)], ['daddr', array(int(1), 4)]])],
      ['sk', pointer('struct sock')],
      ['port', int(2)],
    ]);
    expect(renderLayout(key)).toBe(
      [
        'struct flow_key {',
        '    u8 addrs.saddr[4];                   /*     0     4 */',
        '    u8 addrs.daddr[4];                   /*     4     4 */',
        '    struct sock * sk;                    /*     8     8 */',
        '    u16 port;                            /*    16     2 */',
        '    /* padding: 6 */                     /*    18     6 */',
        '',
        '    /* size: 24, cachelines: 1, members: 4 */',
        '};',
      ].join('\n'),
    );
  });
});
