import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config';
import type { DecoderEnvironment } from '../decoders/decoder';
import { createDecoderRegistry } from '../decoders/registry';
import type { MetricFamily } from '../model';
import { RecordedMapSource, type RecordedMap } from '../testing/recorded-map-source';
import { ConfigCollector, type CollectorOptions } from './config-collector';

// The host is faked: these tests count how often the collector asks it, which a real host cannot tell.
function countingHost(littleEndian = true) {
  const calls = { ifname: 0 };
  const env: DecoderEnvironment = {
    littleEndian,
    arch: 'x86_64',
    kallsyms: () => '',
    partitions: () => '',
    ifname: (index) => {
      calls.ifname++;
      return `if${index}`;
    },
    cgroupPath: () => undefined,
    pciIds: () => undefined,
  };
  return { env, calls };
}

const u32le = (n: number): string => n.toString(16).padStart(8, '0').match(/../g)!.reverse().join('');
const u64le = (n: number): string => u32le(n) + '00000000';

function collectorFor(yaml: string, env: DecoderEnvironment, options?: CollectorOptions) {
  return new ConfigCollector(parseConfig(yaml, 'test.yaml'), createDecoderRegistry(env), options);
}

const IFACE_COUNTER = `metrics:
  counters:
    - name: packets_total
      help: Packets
      labels:
        - { name: interface, size: 4, decoders: [{ name: ifname }] }
`;

const ifaceMap = (indexes: number[]): RecordedMap => ({
  type: 'hash',
  keySize: 4,
  valueSize: 8,
  entries: indexes.map((index) => [u32le(index), u64le(index * 10)]),
});

const seriesOf = (family: MetricFamily | undefined) =>
  family?.type === 'histogram' ? [] : (family?.series.map((series) => [series.labelValues.join(','), series.value]) ?? []);

describe('ConfigCollector', () => {
  it('decodes each raw key once and serves later scrapes from the label cache', async () => {
    const { env, calls } = countingHost();
    const collector = collectorFor(IFACE_COUNTER, env);
    // The ifname decoder caches names itself; a fresh index per scrape would still reach the host.
    const source = new RecordedMapSource({ test: { packets_total: ifaceMap([1, 2, 3]) } });
    const first = await collector.collect(source);
    const second = await collector.collect(source);
    expect(seriesOf(second.families[0])).toEqual(seriesOf(first.families[0]));
    expect(seriesOf(first.families[0])).toEqual([
      ['if1', 10],
      ['if2', 20],
      ['if3', 30],
    ]);
    expect(calls.ifname).toBe(3);
  });

  it('remembers the labels of the keys of the last scrape, at most labelCacheSize of them', async () => {
    const { env } = countingHost();
    let decodes = 0;
    const registry = createDecoderRegistry(env);
    const counting = { littleEndian: true, decode: (...args: Parameters<typeof registry.decode>) => (decodes++, registry.decode(...args)) };
    const collector = new ConfigCollector(parseConfig(IFACE_COUNTER, 'test.yaml'), counting, { labelCacheSize: 2 });
    const scrape = (indexes: number[]) => collector.collect(new RecordedMapSource({ test: { packets_total: ifaceMap(indexes) } }));
    await scrape([1, 2, 3]);
    expect(decodes).toBe(3);
    // Only the first two keys of that scrape were kept: 3 is decoded again, 2 is not.
    await scrape([3, 2]);
    expect(decodes).toBe(4);
    // 1 left the map in the last scrape, and was forgotten with it.
    await scrape([1]);
    expect(decodes).toBe(5);
    await scrape([1]);
    expect(decodes).toBe(5);
  });

  it('adds up keys that decode to the same labels, also when they do not fit the label cache', async () => {
    const yaml = `metrics:
  counters:
    - name: by_parity_total
      help: Keys folded onto two label values
      labels:
        - { name: parity, size: 4, decoders: [{ name: uint }, { name: static_map, static_map: { '1': odd, '3': odd, '5': odd } }] }
`;
    const entries = [1, 2, 3, 4, 5, 6].map((n): [string, string] => [u32le(n), u64le(n)]);
    const source = new RecordedMapSource({ test: { by_parity_total: { type: 'hash', keySize: 4, valueSize: 8, entries } } });
    for (const labelCacheSize of [0, 1, 2, 100]) {
      const { env } = countingHost();
      const collector = collectorFor(yaml, env, { labelCacheSize });
      for (let scrape = 0; scrape < 3; scrape++) {
        const { families } = await collector.collect(source);
        expect(seriesOf(families[0])).toEqual([
          ['odd', 9],
          ['unknown:2', 2],
          ['unknown:4', 4],
          ['unknown:6', 6],
        ]);
      }
    }
  });

  it('keeps every key with labelCacheSize 0 (unbounded, like upstream)', async () => {
    const { env } = countingHost();
    let decodes = 0;
    const registry = createDecoderRegistry(env);
    const counting = { littleEndian: true, decode: (...args: Parameters<typeof registry.decode>) => (decodes++, registry.decode(...args)) };
    const collector = new ConfigCollector(parseConfig(IFACE_COUNTER, 'test.yaml'), counting, { labelCacheSize: 0 });
    const source = new RecordedMapSource({ test: { packets_total: ifaceMap([1, 2, 3, 4, 5]) } });
    await collector.collect(source);
    await collector.collect(source);
    expect(decodes).toBe(5);
  });

  it('remembers keys a regexp rejected when skipCacheSize is set', async () => {
    const yaml = `metrics:
  counters:
    - name: comm_total
      help: By command
      labels:
        - { name: comm, size: 4, decoders: [{ name: string }, { name: regexp, regexps: ['^ab'] }] }
`;
    const map: RecordedMap = { type: 'hash', keySize: 4, valueSize: 8, entries: [['61626300', u64le(1)], ['7a7a7a00', u64le(2)]] };
    for (const [skipCacheSize, expectedDecodes] of [
      [0, 3],
      [10, 2],
    ] as const) {
      const { env } = countingHost();
      let decodes = 0;
      const registry = createDecoderRegistry(env);
      const counting = { littleEndian: true, decode: (...args: Parameters<typeof registry.decode>) => (decodes++, registry.decode(...args)) };
      const collector = new ConfigCollector(parseConfig(yaml, 'test.yaml'), counting, { skipCacheSize });
      const source = new RecordedMapSource({ test: { comm_total: map } });
      await collector.collect(source);
      const { families } = await collector.collect(source);
      expect(seriesOf(families[0])).toEqual([['ab', 1]]);
      expect(decodes).toBe(expectedDecodes);
    }
  });

  it('records a failing metric in errors and still collects the others', async () => {
    const yaml = `metrics:
  counters:
    - name: good_total
      help: Good
      labels:
        - { name: interface, size: 4, decoders: [{ name: ifname }] }
    - name: wrong_key_total
      help: Key size does not match
      labels:
        - { name: interface, size: 4, decoders: [{ name: ifname }] }
    - name: bad_decoder_total
      help: uint cannot read 3 bytes
      labels:
        - { name: x, size: 3, padding: 1, decoders: [{ name: uint }] }
  histograms:
    - name: bad_bucket
      help: The bucket label is not a number
      bucket_type: exp2
      bucket_max: 3
      labels:
        - { name: bucket, size: 4, decoders: [{ name: string }] }
`;
    const { env } = countingHost();
    const collector = collectorFor(yaml, env);
    const { families, errors } = await collector.collect(
      new RecordedMapSource({
        test: {
          good_total: ifaceMap([1]),
          wrong_key_total: { type: 'hash', keySize: 8, valueSize: 8, entries: [] },
          bad_decoder_total: ifaceMap([1]),
          bad_bucket: { type: 'hash', keySize: 4, valueSize: 8, entries: [['61626300', u64le(1)]] },
        },
      }),
    );
    expect(families.map((family) => family.name)).toEqual(['ebpf_exporter_good_total']);
    expect(errors.map(({ metric, error }) => [metric, error.message])).toEqual([
      ['wrong_key_total', 'labels take 4 bytes (sizes plus paddings) but the map has 8-byte keys'],
      ['bad_decoder_total', 'uint: unknown value length 3'],
      ['bad_bucket', 'cannot parse bucket label value "abc" as an unsigned integer'],
    ]);
  });

  it('appends the CPU index in host byte order on big-endian hosts', async () => {
    const yaml = `metrics:
  counters:
    - name: per_cpu_total
      help: By CPU
      labels:
        - { name: kind, size: 4, decoders: [{ name: uint }] }
        - { name: cpu, size: 2, decoders: [{ name: uint }] }
`;
    const { env } = countingHost(false);
    const collector = collectorFor(yaml, env);
    const { families } = await collector.collect(
      new RecordedMapSource({
        test: {
          per_cpu_total: {
            type: 'lru_percpu_hash',
            keySize: 4,
            valueSize: 8,
            valuesPerKey: 3,
            entries: [['00000007', '0000000000000001' + '0000000000000002' + '0000000100000000']],
          },
        },
      }),
    );
    expect(seriesOf(families[0])).toEqual([
      ['0,7', 1],
      ['1,7', 2],
      ['2,7', 2 ** 32],
    ]);
  });

  it('reads per-CPU values with a stride wider than the value', async () => {
    const yaml = `metrics:
  counters:
    - name: summed_total
      help: Summed over CPUs
      labels:
        - { name: kind, size: 4, decoders: [{ name: uint }] }
`;
    const { env } = countingHost();
    const { families } = await collectorFor(yaml, env).collect(
      new RecordedMapSource({
        test: {
          summed_total: {
            type: 'percpu_hash',
            keySize: 4,
            valueSize: 8,
            valuesPerKey: 2,
            valueStride: 16,
            entries: [[u32le(1), u64le(3) + 'ffffffffffffffff' + u64le(4) + 'ffffffffffffffff']],
          },
        },
      }),
    );
    expect(seriesOf(families[0])).toEqual([['1', 7]]);
  });

  it('leaves perf_event_array counters to the exporter', async () => {
    const yaml = `metrics:
  counters:
    - name: oom_kills_total
      help: OOM kills
      perf_event_array: true
      labels:
        - { name: pid, size: 4, decoders: [{ name: uint }] }
`;
    const { env } = countingHost();
    const result = await collectorFor(yaml, env).collect(new RecordedMapSource({}));
    expect(result).toEqual({ families: [], errors: [], skipped: [], timedOut: false });
  });
  describe('large maps', { timeout: 60_000 }, () => {
    // Just over one slice (32k entries), so every walk pauses once.
    const indexes = Array.from({ length: 40_000 }, (_, i) => 40_000 - i);
    const source = new RecordedMapSource({ test: { packets_total: ifaceMap(indexes) } });
    const labelsOf = (result: { families: MetricFamily[] }) => seriesOf(result.families[0]).map(([labels]) => labels);

    it('lets timers run while it walks the map, between slices', async () => {
      const collector = collectorFor(IFACE_COUNTER, countingHost().env);
      let timerRan = false;
      setTimeout(() => (timerRan = true), 0);
      const scrape = collector.collect(source).then((result) => ({ result, timerRanBefore: timerRan }));
      const { result, timerRanBefore } = await scrape;
      expect(timerRanBefore).toBe(true);
      expect(result.families[0]?.series).toHaveLength(indexes.length);
    });

    it('emits counter series sorted by label values, on the first scrape and on later ones', async () => {
      const collector = collectorFor(IFACE_COUNTER, countingHost().env);
      const expected = indexes.map((index) => `if${index}`).sort();
      expect(labelsOf(await collector.collect(source))).toEqual(expected);
      expect(labelsOf(await collector.collect(source))).toEqual(expected);
      const fewer = new RecordedMapSource({ test: { packets_total: ifaceMap([5, 40_001, ...indexes.slice(0, 1000)]) } });
      expect(labelsOf(await collector.collect(fewer))).toEqual(['if5', 'if40001', ...indexes.slice(0, 1000).map((i) => `if${i}`)].sort());
    });

    it('runs overlapping scrapes one after the other, each with every series once', async () => {
      const collector = collectorFor(IFACE_COUNTER, countingHost().env);
      const [first, second] = await Promise.all([collector.collect(source), collector.collect(source)]);
      expect(seriesOf(first.families[0])).toHaveLength(indexes.length);
      expect(seriesOf(second.families[0])).toEqual(seriesOf(first.families[0]));
    });
  });
});

describe('ConfigCollector budget', () => {
  // A host whose interface lookups can be made slow: the test double for a decode that takes long (a real
  // one that does cannot be produced on demand). Busy-waiting holds the thread as a slow decode would.
  function slowHost() {
    const host = { slow: false, lookups: 0 };
    const env: DecoderEnvironment = {
      ...countingHost().env,
      ifname: (index) => {
        host.lookups++;
        const until = performance.now() + (host.slow ? 1 : 0);
        while (performance.now() < until);
        return `if${index}`;
      },
    };
    return { env, host };
  }

  const indexes = (count: number, from = 1) => Array.from({ length: count }, (_, i) => from + i);

  it('abandons a scrape that runs over budget, and the next one is whole and right', async () => {
    const { env, host } = slowHost();
    // 5000 slow decodes take 5 s, far over the budget; 5000 fast ones fit in it many times over even on
    // a loaded CI machine.
    const collector = collectorFor(IFACE_COUNTER, env, { budgetMs: 400 });
    const before = await collector.collect(new RecordedMapSource({ test: { packets_total: ifaceMap(indexes(10)) } }));
    expect(before.timedOut).toBe(false);

    host.slow = true;
    const big = new RecordedMapSource({ test: { packets_total: ifaceMap(indexes(5000, 100)) } });
    expect(await collector.collect(big)).toEqual({ families: [], errors: [], skipped: [], timedOut: true });

    host.slow = false;
    const after = await collector.collect(big);
    expect(after.timedOut).toBe(false);
    const series = seriesOf(after.families[0]);
    expect(series).toHaveLength(5000);
    expect(series).toEqual(expect.arrayContaining([['if100', 1000], ['if5099', 50990]]));
    expect(series.some(([name]) => name === 'if1')).toBe(false);
  });

  it('leaves a scrape over budget out but lets its walk finish, so the next scrape finds the keys decoded', async () => {
    const { env, host } = slowHost();
    host.slow = true;
    // 1000 slow decodes take a second, five times the budget; the next scrape waits for the walk to end
    // and then replays it, in far less than the budget.
    const collector = collectorFor(IFACE_COUNTER, env, { budgetMs: 200 });
    const source = new RecordedMapSource({ test: { packets_total: ifaceMap(indexes(1000)) } });
    expect((await collector.collect(source)).timedOut).toBe(true);
    const next = await collector.collect(source);
    expect(next.timedOut).toBe(false);
    expect(seriesOf(next.families[0])).toHaveLength(1000);
    expect(host.lookups).toBe(1000);
  });

  it('is idle only once the walk a scrape over budget left running has ended', async () => {
    const { env, host } = slowHost();
    host.slow = true;
    const collector = collectorFor(IFACE_COUNTER, env, { budgetMs: 50 });
    const source = new RecordedMapSource({ test: { packets_total: ifaceMap(indexes(500)) } });
    expect((await collector.collect(source)).timedOut).toBe(true);
    // The walk goes on decoding after the scrape gave up on it; idle() must not settle before it ends.
    await collector.idle();
    expect(host.lookups).toBe(500);
  });

  it('stops waiting for a map read that does not end within the budget', async () => {
    const collector = collectorFor(IFACE_COUNTER, countingHost().env, { budgetMs: 20 });
    const stuck = { readMap: () => new Promise<never>(() => undefined) };
    expect((await collector.collect(stuck)).timedOut).toBe(true);
  });

  it('has no limit by default', async () => {
    const { env, host } = slowHost();
    host.slow = true;
    const collector = collectorFor(IFACE_COUNTER, env);
    const result = await collector.collect(new RecordedMapSource({ test: { packets_total: ifaceMap(indexes(600)) } }));
    expect(result.timedOut).toBe(false);
    expect(seriesOf(result.families[0])).toHaveLength(600);
  });
});

describe('ConfigCollector series limit', () => {
  it('leaves a metric with more series than maxSeries out of the scrape and serves the others', async () => {
    const yaml = `metrics:
  counters:
    - { name: big_total, help: Many keys, labels: [{ name: index, size: 4, decoders: [{ name: uint }] }] }
    - { name: small_total, help: Few keys, labels: [{ name: index, size: 4, decoders: [{ name: uint }] }] }
`;
    const { env } = countingHost();
    const collector = collectorFor(yaml, env, { maxSeries: 3 });
    const source = (big: number) =>
      new RecordedMapSource({ test: { big_total: ifaceMap(Array.from({ length: big }, (_, i) => i + 1)), small_total: ifaceMap([1, 2]) } });
    // The map is read no further than one key past the limit.
    const asked: (number | undefined)[] = [];
    const recording = (recorded: RecordedMapSource) => ({
      readMap: (config: string, map: string, options?: { maxEntries?: number }) => (asked.push(options?.maxEntries), recorded.readMap(config, map, options)),
    });
    const over = await collector.collect(recording(source(4)));
    expect(asked).toEqual([4, 4]);
    expect(over.skipped).toEqual([{ metric: 'big_total', reason: 'series_limit', limit: 3 }]);
    expect(over.families.map((family) => family.name)).toEqual(['ebpf_exporter_small_total']);
    // At the limit it is served again.
    const within = await collector.collect(source(3));
    expect(within.skipped).toEqual([]);
    expect(seriesOf(within.families[0])).toHaveLength(3);
  });

  it('takes a metric’s max_series over the collector’s limit', async () => {
    const yaml = `metrics:
  counters:
    - { name: capped_total, help: Capped, max_series: 2, labels: [{ name: index, size: 4, decoders: [{ name: uint }] }] }
    - { name: open_total, help: Open, labels: [{ name: index, size: 4, decoders: [{ name: uint }] }] }
`;
    const collector = collectorFor(yaml, countingHost().env, { maxSeries: 5 });
    const map = ifaceMap([1, 2, 3, 4]);
    expect(collector.mapMetrics).toEqual(['capped_total', 'open_total']);
    const { skipped, families } = await collector.collect(new RecordedMapSource({ test: { capped_total: map, open_total: map } }));
    expect(skipped).toEqual([{ metric: 'capped_total', reason: 'series_limit', limit: 2 }]);
    expect(families.map((family) => family.name)).toEqual(['ebpf_exporter_open_total']);
  });
});
