// The metric shapes beyond upstream's (issue #15): gauges, fields of struct values, per-CPU histograms,
// each through the whole collector and exposition.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config';
import { createDecoderRegistry } from '../decoders/registry';
import { formatText } from '../exposition/text-format';
import { hostlessEnvironment } from '../testing/hostless-environment';
import { RecordedMapSource, type RecordedMap } from '../testing/recorded-map-source';
import { ConfigCollector } from './config-collector';

/** Little-endian hex of `bytes` bytes of a (possibly negative) integer. */
const le = (value: number | bigint, bytes: number): string =>
  (BigInt.asUintN(bytes * 8, BigInt(value)).toString(16).padStart(bytes * 2, '0').match(/../g) ?? []).reverse().join('');

async function exposition(yaml: string, maps: Record<string, RecordedMap>): Promise<string> {
  const collector = new ConfigCollector(parseConfig(yaml, 'shapes.yaml'), createDecoderRegistry(hostlessEnvironment()));
  const { families, errors } = await collector.collect(new RecordedMapSource({ shapes: maps }));
  expect(errors).toEqual([]);
  return formatText(families);
}

describe('metric shapes', () => {
  it('exposes a gauge, signed values below zero included, from a field of each value', async () => {
    const yaml = `metrics:
  gauges:
    - name: in_flight
      help: Requests in flight
      value: { size: 8, signed: true }
      labels: [{ name: dev, size: 4, decoders: [{ name: uint }] }]
    - name: depth
      help: Queue depth
      map: in_flight
      value: { offset: 8, size: 4 }
      labels: [{ name: dev, size: 4, decoders: [{ name: uint }] }]
`;
    const inFlight: RecordedMap = {
      type: 'hash',
      keySize: 4,
      valueSize: 16,
      entries: [
        [le(1, 4), le(-3, 8) + le(7, 4) + le(0, 4)],
        [le(2, 4), le(5, 8) + le(2 ** 32 - 1, 4) + le(0, 4)],
      ],
    };
    expect(await exposition(yaml, { in_flight: inFlight })).toBe(
      [
        '# HELP ebpf_exporter_depth Queue depth',
        '# TYPE ebpf_exporter_depth gauge',
        'ebpf_exporter_depth{dev="1"} 7',
        'ebpf_exporter_depth{dev="2"} 4.294967295e+09',
        '# HELP ebpf_exporter_in_flight Requests in flight',
        '# TYPE ebpf_exporter_in_flight gauge',
        'ebpf_exporter_in_flight{dev="1"} -3',
        'ebpf_exporter_in_flight{dev="2"} 5',
        '',
      ].join('\n'),
    );
  });

  it('reads two counters from one struct-valued map, per-CPU slots summed', async () => {
    const yaml = `metrics:
  counters:
    - { name: tx_bytes_total, help: Bytes, map: tx_stats, value: { offset: 0 }, labels: [{ name: ifindex, size: 4, decoders: [{ name: uint }] }] }
    - { name: tx_packets_total, help: Packets, map: tx_stats, value: { offset: 8 }, labels: [{ name: ifindex, size: 4, decoders: [{ name: uint }] }] }
`;
    // Two CPUs, each slot { u64 bytes; u64 packets; }.
    const slot = (bytes: number, packets: number) => le(bytes, 8) + le(packets, 8);
    const stats: RecordedMap = { type: 'percpu_hash', keySize: 4, valueSize: 16, valuesPerKey: 2, entries: [[le(3, 4), slot(1000, 2) + slot(500, 1)]] };
    const text = await exposition(yaml, { tx_stats: stats });
    expect(text).toContain('ebpf_exporter_tx_bytes_total{ifindex="3"} 1500\n');
    expect(text).toContain('ebpf_exporter_tx_packets_total{ifindex="3"} 3\n');
  });

  const histogramYaml = (labels: string, extra = '') => `metrics:
  histograms:
    - name: latency_seconds
      help: Latency
      bucket_type: exp2
      bucket_min: 0
      bucket_max: 2
${extra}      labels:
        - { name: kind, size: 4, decoders: [{ name: uint }] }
        - { name: bucket, size: 4, decoders: [{ name: uint }] }
${labels}`;
  // A per-CPU map of two CPUs: kind 1, buckets 0 and 2, the sum key 3.
  const perCpuHistogram: RecordedMap = {
    type: 'percpu_hash',
    keySize: 8,
    valueSize: 8,
    valuesPerKey: 2,
    entries: [
      [le(1, 4) + le(0, 4), le(1, 8) + le(2, 8)],
      [le(1, 4) + le(2, 4), le(0, 8) + le(5, 8)],
      [le(1, 4) + le(3, 4), le(10, 8) + le(40, 8)],
    ],
  };

  it('keeps one histogram per CPU when the labels end with cpu after the bucket label', async () => {
    const text = await exposition(histogramYaml('        - { name: cpu, size: 2, decoders: [{ name: uint }] }\n'), { latency_seconds: perCpuHistogram });
    expect(text).toContain('ebpf_exporter_latency_seconds_bucket{cpu="0",kind="1",le="1"} 1\n');
    expect(text).toContain('ebpf_exporter_latency_seconds_bucket{cpu="1",kind="1",le="4"} 7\n');
    expect(text).toContain('ebpf_exporter_latency_seconds_sum{cpu="0",kind="1"} 10\n');
    expect(text).toContain('ebpf_exporter_latency_seconds_count{cpu="1",kind="1"} 7\n');
  });

  it('sums a per-CPU histogram over CPUs without a cpu label', async () => {
    const text = await exposition(histogramYaml(''), { latency_seconds: perCpuHistogram });
    expect(text).toContain('ebpf_exporter_latency_seconds_bucket{kind="1",le="1"} 3\n');
    expect(text).toContain('ebpf_exporter_latency_seconds_bucket{kind="1",le="4"} 8\n');
    expect(text).toContain('ebpf_exporter_latency_seconds_sum{kind="1"} 50\n');
  });

  it('adds up a sum field of the bucket entries into _sum instead of the sum key', async () => {
    const entry = (bucket: number, count: number, sum: number): [string, string] => [le(1, 4) + le(bucket, 4), le(count, 8) + le(sum, 8)];
    const map: RecordedMap = { type: 'hash', keySize: 8, valueSize: 16, entries: [entry(0, 2, 3), entry(2, 1, 9), entry(3, 100, 100), entry(9, 4, 1000)] };
    const text = await exposition(histogramYaml('', '      value: { offset: 0 }\n      sum: { offset: 8 }\n'), { latency_seconds: map });
    // Index 3 (the sum key without `sum`) and 9 lie outside bucket_min..bucket_max: neither counted nor summed.
    expect(text).toContain('ebpf_exporter_latency_seconds_sum{kind="1"} 12\n');
    expect(text).toContain('ebpf_exporter_latency_seconds_count{kind="1"} 3\n');
  });
});
