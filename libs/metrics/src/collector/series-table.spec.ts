import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config';
import { createDecoderRegistry } from '../decoders/registry';
import { compareLabelValues } from '../exposition/sort-families';
import { formatText } from '../exposition/text-format';
import type { ScalarSeries } from '../model';
import { hostlessEnvironment } from '../testing/hostless-environment';
import { RecordedMapSource, type RecordedMap } from '../testing/recorded-map-source';
import { ConfigCollector } from './config-collector';
import { SKIP } from '../decoders/decoder';
import { sameBytes } from './key-index';
import { SeriesLimitExceeded, SeriesTable } from './series-table';

// `static_map` folds ids 1 and 2 into one label set and `regexp` drops the `skip` one, so the sequence below
// covers aggregation and skipped keys as well as plain keys; 6 and 7 decode to values that do not sort like
// their rendered texts next to 9 and 8 (a quote, a space).
const CONFIG = `metrics:
  counters:
    - name: ops_total
      help: Ops
      labels:
        - name: kind
          size: 4
          decoders:
            - name: uint
            - name: static_map
              static_map: { '1': shared, '2': shared, '3': skip, '6': 'six "quoted"', '7': 'a b', '8': a, '9': six }
              allow_unknown: true
            - name: regexp
              regexps: ['^(shared|six "quoted"|six|a b|a|[0-9]+)$']
        - name: object
          size: 4
          decoders: [{ name: uint }]
`;

const u32le = (n: number): string => n.toString(16).padStart(8, '0').match(/../g)!.reverse().join('');
const u64le = (n: number): string => u32le(n % 2 ** 32) + u32le(Math.floor(n / 2 ** 32));

function counterMap(entries: [kind: number, object: number, value: number][]): RecordedMap {
  return { type: 'hash', keySize: 8, valueSize: 8, entries: entries.map(([kind, object, value]) => [u32le(kind) + u32le(object), u64le(value)]) };
}

type Options = ConstructorParameters<typeof ConfigCollector>[2];
const collectorFor = (options?: Options) => new ConfigCollector(parseConfig(CONFIG, 'test.yaml'), createDecoderRegistry(hostlessEnvironment()), options);

async function exposition(collector: ConfigCollector, map: RecordedMap): Promise<string> {
  const { families, errors } = await collector.collect(new RecordedMapSource({ test: { ops_total: map } }));
  expect(errors).toEqual([]);
  // In client_golang's order, checked on its own: comparing two collectors cannot catch a wrong order both make.
  const series = families[0]?.series ?? [];
  for (let i = 1; i < series.length; i++) expect(compareLabelValues(series[i - 1] as ScalarSeries, series[i] as ScalarSeries)).toBeLessThan(0);
  return formatText(families);
}

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

describe('series tables under a collector', () => {
  // Without a cache limit, with one smaller than the map (keys beyond it are decoded every scrape), and with
  // the skip cache (skipped keys are remembered instead of decoded again).
  const OPTION_SETS: Options[] = [{}, { labelCacheSize: 3 }, { skipCacheSize: 100 }];
  it.each(OPTION_SETS)('gives, scrape after scrape, what a collector seeing the map for the first time gives (%o)', async (options) => {
    const next = random(7);
    const collector = collectorFor(options);
    let entries: [number, number, number][] = [
      [1, 10, 5],
      [2, 10, 6],
      [4, 11, 7],
      [5, 12, 8],
    ];
    for (let scrape = 0; scrape < 80; scrape++) {
      const change = next();
      // Most scrapes only change values (the replayed case); some add, drop or reorder keys, add a key a
      // decoder skips, or one folding into an existing label set.
      entries = entries.map(([kind, object, value]) => [kind, object, value + Math.floor(next() * 3)]);
      if (change < 0.15) entries.push([4 + Math.floor(next() * 20), Math.floor(next() * 50), Math.floor(next() * 2 ** 40)]);
      else if (change < 0.25 && entries.length > 2) entries.splice(Math.floor(next() * entries.length), 1);
      else if (change < 0.3) entries.reverse();
      else if (change < 0.35) entries.push([3, scrape, 1]);
      else if (change < 0.4) entries.push([1 + Math.floor(next() * 2), Math.floor(next() * 15), 1]);
      entries = [...new Map(entries.map((entry) => [`${entry[0]}/${entry[1]}`, entry])).values()];
      const map = counterMap(entries);
      expect(await exposition(collector, map), `scrape ${scrape}`).toBe(await exposition(collectorFor(options), map));
    }
  });

  it('orders values by themselves where their texts would sort otherwise (a space, a quote), old and new', async () => {
    const collector = collectorFor();
    // Plain new texts among old ones that are not, then the other way round.
    await exposition(collector, counterMap([[7, 1, 1], [9, 1, 1]]));
    await exposition(collector, counterMap([[7, 1, 1], [9, 1, 1], [8, 1, 1]]));
    await exposition(collector, counterMap([[8, 1, 1], [9, 1, 1]]));
    const text = await exposition(collector, counterMap([[8, 1, 1], [9, 1, 1], [7, 1, 1], [6, 1, 1]]));
    const kinds = [...text.matchAll(/kind="((?:[^"\\]|\\.)*)"/g)].map((match) => match[1]);
    expect(kinds).toEqual(['a', 'a b', 'six', 'six \\"quoted\\"']);
  });

  it('adds a key new since the last scrape to the series it shares labels with', async () => {
    const collector = collectorFor();
    await exposition(collector, counterMap([[1, 9, 1], [4, 9, 2]]));
    const next = await exposition(collector, counterMap([[1, 9, 10], [4, 9, 20], [2, 9, 5]]));
    expect(next).toContain('ebpf_exporter_ops_total{kind="shared",object="9"} 15\n');
    expect(next).toContain('ebpf_exporter_ops_total{kind="4",object="9"} 20\n');
  });

  it('sums the keys that decode to one label set when replaying', async () => {
    const collector = collectorFor();
    await exposition(collector, counterMap([[1, 9, 1], [2, 9, 2]]));
    const replayed = await exposition(collector, counterMap([[1, 9, 10], [2, 9, 20]]));
    expect(replayed).toContain('ebpf_exporter_ops_total{kind="shared",object="9"} 30\n');
  });

  it('puts the label texts of a first pass back to back in series order when it is replayed', async () => {
    const collector = collectorFor();
    const map = counterMap([[40, 1, 1], [5, 2, 1], [300, 3, 1], [9, 4, 1]]);
    const arena = async () => {
      const { families } = await collector.collect(new RecordedMapSource({ test: { ops_total: map } }));
      const family = families[0];
      if (!family || !('columns' in family) || !family.columns) throw new Error('expected a column family');
      return family.columns.labels;
    };
    // The first pass only reorders the offsets of the texts it decoded in map order.
    const first = await arena();
    expect([...first.starts].every((start, i) => i === 0 || start > (first.starts[i - 1] as number))).toBe(false);
    const replayed = await arena();
    expect([...replayed.starts]).toEqual([0, ...replayed.ends.subarray(0, -1)]);
    expect([...replayed.starts].map((start, i) => replayed.ends[i]! - start)).toEqual([...first.starts].map((start, i) => first.ends[i]! - start));
  });
});

describe('sameBytes', () => {
  it('compares aligned views word by word and the rest byte by byte', () => {
    const base = Uint8Array.from({ length: 11 }, (_, i) => i);
    expect(sameBytes(base, base.slice())).toBe(true);
    for (let i = 0; i < base.length; i++) {
      const changed = base.slice();
      changed[i] = 200;
      expect(sameBytes(base, changed), `byte ${i}`).toBe(false);
    }
    expect(sameBytes(base, base.subarray(0, 10))).toBe(false);
  });

  it('compares unaligned views byte by byte', () => {
    const buffer = Uint8Array.from({ length: 12 }, (_, i) => i % 3);
    expect(sameBytes(buffer.subarray(1, 4), buffer.subarray(4, 7))).toBe(true);
    expect(sameBytes(buffer.subarray(1, 4), buffer.subarray(2, 5))).toBe(false);
  });
});

describe('SeriesTable', () => {
  const noPause = { entries: 2, pause: async () => undefined };
  const encoder = new TextEncoder();
  /** Entries whose keys are the bytes of `names` (padded to 4) and whose values are given. */
  const entriesOf = (pairs: [name: string, value: number][]) => {
    const keys = new Uint8Array(pairs.length * 4);
    pairs.forEach(([name], i) => keys.set(encoder.encode(name).subarray(0, 4), i * 4));
    return { count: pairs.length, keySize: 4, keys, value: (entry: number) => (pairs[entry] as [string, number])[1] };
  };
  /** Decodes a key as `l="<its text>"` minus a trailing digit, so `ab1` and `ab2` share one series; `x...` is skipped. */
  const decoding = () => {
    const decoded: string[] = [];
    const decode = (bytes: Uint8Array, offset: number) => {
      const text = new TextDecoder().decode(bytes.subarray(offset, offset + 4)).replace(/\0+$/, '');
      decoded.push(text);
      if (text.startsWith('x')) return SKIP;
      return { labelText: `l="${text.replace(/\d$/, '')}"`, column: 0 };
    };
    return { decoded, decode };
  };
  const textsOf = (view: { labels: { bytes: Uint8Array; starts: Int32Array; ends: Int32Array } }) =>
    [...view.labels.starts].map((start, i) => new TextDecoder().decode(view.labels.bytes.subarray(start, view.labels.ends[i])));
  const idsByText = (view: Awaited<ReturnType<SeriesTable['collect']>>) => Object.fromEntries(textsOf(view).map((text, i) => [text, view.ids[i]]));

  it('decodes a key once while it stays in the map, replays identical keys, and forgets keys that left', async () => {
    const { decoded, decode } = decoding();
    const table = new SeriesTable(decode, { width: 1, cacheLimit: Infinity, skipCacheLimit: 0, maxSeries: Infinity });
    const first = await table.collect(entriesOf([['b', 1], ['a', 2], ['ab1', 3], ['ab2', 4]]), noPause);
    expect(textsOf(first)).toEqual(['l="a"', 'l="ab"', 'l="b"']);
    expect([...first.values]).toEqual([2, 7, 1]);
    expect(decoded).toEqual(['b', 'a', 'ab1', 'ab2']);
    const replayed = await table.collect(entriesOf([['b', 10], ['a', 20], ['ab1', 30], ['ab2', 40]]), noPause);
    expect(table.lastPass).toEqual({ replayed: true, decoded: 0 });
    expect([...replayed.values]).toEqual([20, 70, 10]);
    // A new key among old ones: only it is decoded; `a` left and is forgotten with its key.
    await table.collect(entriesOf([['c', 1], ['b', 1], ['ab1', 1]]), noPause);
    expect(decoded.slice(4)).toEqual(['c']);
    await table.collect(entriesOf([['a', 1]]), noPause);
    expect(decoded.slice(5)).toEqual(['a']);
  });

  it('keeps at most cacheLimit keys of a pass; the others are decoded again, and never replayed', async () => {
    const { decoded, decode } = decoding();
    const table = new SeriesTable(decode, { width: 1, cacheLimit: 2, skipCacheLimit: 0, maxSeries: Infinity });
    const entries = entriesOf([['a', 1], ['b', 1], ['c', 1]]);
    await table.collect(entries, noPause);
    const second = await table.collect(entries, noPause);
    expect(table.lastPass).toEqual({ replayed: false, decoded: 1 });
    expect(decoded).toEqual(['a', 'b', 'c', 'c']);
    expect(textsOf(second)).toEqual(['l="a"', 'l="b"', 'l="c"']);
  });

  it('remembers at most skipCacheLimit skipped keys of a pass', async () => {
    for (const [skipCacheLimit, decodedAgain, replayed] of [[0, 3, false], [2, 1, false], [3, 0, true]] as const) {
      const { decoded, decode } = decoding();
      const table = new SeriesTable(decode, { width: 1, cacheLimit: Infinity, skipCacheLimit, maxSeries: Infinity });
      const entries = entriesOf([['x1', 1], ['a', 1], ['x2', 1], ['x3', 1]]);
      await table.collect(entries, noPause);
      const view = await table.collect(entries, noPause);
      expect([decoded.length - 4, table.lastPass.replayed, textsOf(view)], `limit ${skipCacheLimit}`).toEqual([decodedAgain, replayed, ['l="a"']]);
    }
  });

  it('keeps a series its id while it lives, also when all its keys change, and gives freed ids to new series', async () => {
    const { decode } = decoding();
    const table = new SeriesTable(decode, { width: 1, cacheLimit: Infinity, skipCacheLimit: 0, maxSeries: Infinity });
    const first = idsByText(await table.collect(entriesOf([['a', 1], ['b', 1], ['c', 1]]), noPause));
    // `b1` is a new key of series b; `c` left.
    const second = idsByText(await table.collect(entriesOf([['b1', 1], ['a', 1], ['d', 1]]), noPause));
    expect([second['l="a"'], second['l="b"']]).toEqual([first['l="a"'], first['l="b"']]);
    expect(second['l="d"']).toBe(first['l="c"']);
  });

  it('compacts the texts once dead ones outweigh live ones, ids unchanged and texts back to back in order', async () => {
    const { decode } = decoding();
    const table = new SeriesTable(decode, { width: 1, cacheLimit: Infinity, skipCacheLimit: 0, maxSeries: Infinity });
    const names = ['aa', 'ab', 'ac', 'ad', 'ae', 'af'];
    await table.collect(entriesOf(names.map((name) => [name, 1])), noPause);
    const before = idsByText(await table.collect(entriesOf(names.map((name) => [name, 1])), noPause));
    const view = await table.collect(entriesOf([['af', 1], ['ab', 2]]), noPause);
    expect(textsOf(view)).toEqual(['l="ab"', 'l="af"']);
    expect([...view.ids]).toEqual([before['l="ab"'], before['l="af"']]);
    expect(view.labels.bytes.length).toBe('l="ab"l="af"'.length);
    expect([...view.labels.starts]).toEqual([0, 6]);
  });

  it('gives the right series after a walk that threw at any pause', async () => {
    const { decode } = decoding();
    const entries = entriesOf([['d', 1], ['c', 2], ['b', 3], ['a', 4], ['e', 5]]);
    const expected = async () => {
      const fresh = new SeriesTable(decoding().decode, { width: 1, cacheLimit: Infinity, skipCacheLimit: 0, maxSeries: Infinity });
      await fresh.collect(entriesOf([['a', 9]]), noPause);
      return fresh.collect(entries, noPause);
    };
    const want = await expected();
    for (let abandonAt = 1; abandonAt < 30; abandonAt++) {
      const table = new SeriesTable(decode, { width: 1, cacheLimit: Infinity, skipCacheLimit: 0, maxSeries: Infinity });
      await table.collect(entriesOf([['a', 9]]), noPause);
      let pauses = 0;
      const abandoning = {
        entries: 1,
        pause: async () => {
          if (++pauses === abandonAt) throw new Error('over budget');
        },
      };
      await table.collect(entries, abandoning).catch(() => undefined);
      const view = await table.collect(entries, noPause);
      expect([textsOf(view), [...view.values]], `abandoned at pause ${abandonAt}`).toEqual([textsOf(want), [...want.values]]);
    }
  });

  it('adds a histogram key’s value to its column and ignores column -1', async () => {
    const decode = (bytes: Uint8Array, offset: number) => ({ labelText: `l="${bytes[offset]}"`, column: (bytes[offset + 1] as number) - 1 });
    const table = new SeriesTable(decode, { width: 2, cacheLimit: Infinity, skipCacheLimit: 0, maxSeries: Infinity });
    const keys = Uint8Array.from([1, 1, 0, 0, 1, 2, 0, 0, 1, 0, 0, 0, 2, 2, 0, 0]);
    const entries = { count: 4, keySize: 4, keys, value: (entry: number) => 10 ** entry };
    for (let scrape = 0; scrape < 2; scrape++) {
      const view = await table.collect(entries, noPause);
      expect([textsOf(view), [...view.values]]).toEqual([['l="1"', 'l="2"'], [1, 10, 0, 1000]]);
    }
  });

  it('replays keys of no bytes (a metric without labels) only when their count is the same', async () => {
    const table = new SeriesTable(() => ({ labelText: '', column: 0 }), { width: 1, cacheLimit: Infinity, skipCacheLimit: 0, maxSeries: Infinity });
    const entries = (values: number[]) => ({ count: values.length, keySize: 0, keys: new Uint8Array(0), value: (entry: number) => values[entry] as number });
    expect([...(await table.collect(entries([5]), noPause)).values]).toEqual([5]);
    expect([...(await table.collect(entries([6, 7]), noPause)).values]).toEqual([13]);
    expect(table.lastPass.replayed).toBe(false);
    expect([...(await table.collect(entries([1, 2]), noPause)).values]).toEqual([3]);
    expect(table.lastPass.replayed).toBe(true);
  });

  it('refuses a pass with more series than maxSeries as soon as it passes them, and stays as it was', async () => {
    const { decoded, decode } = decoding();
    const table = new SeriesTable(decode, { width: 1, cacheLimit: Infinity, skipCacheLimit: 0, maxSeries: 3 });
    const before = await table.collect(entriesOf([['a', 1], ['b', 1]]), noPause);
    const flood = entriesOf([['a', 1], ['c', 1], ['d', 1], ['e', 1], ['f', 1], ['g', 1]]);
    await expect(table.collect(flood, noPause)).rejects.toThrow(SeriesLimitExceeded);
    // Decoding stopped at the first key past the limit: a, c and d are three series, e a fourth.
    expect(decoded.slice(2)).toEqual(['c', 'd', 'e']);
    // As long as the map holds as many keys, it is refused without decoding them again.
    await expect(table.collect(entriesOf([['h', 1], ['i', 1], ['j', 1], ['k', 1], ['l', 1], ['m', 1]]), noPause)).rejects.toThrow(SeriesLimitExceeded);
    expect(decoded).toHaveLength(5);
    const after = await table.collect(entriesOf([['a', 5], ['b', 6]]), noPause);
    expect([textsOf(after), [...after.ids], [...after.values]]).toEqual([textsOf(before), [...before.ids], [5, 6]]);
  });
});
