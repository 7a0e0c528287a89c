import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config';
import { createDecoderRegistry } from '../decoders/registry';
import { compareLabelValues } from '../exposition/sort-families';
import { formatText } from '../exposition/text-format';
import type { ScalarSeries } from '../model';
import { hostlessEnvironment } from '../testing/hostless-environment';
import { RecordedMapSource, type RecordedMap } from '../testing/recorded-map-source';
import { ConfigCollector } from './config-collector';
import { labelArenaOf } from '../label-arena';
import { arenaIsPlain, isPlain, sameBytes } from './counter-passes';

// `static_map` folds ids 1 and 2 into one label set and `regexp` drops the `skip` one, so the sequence below
// covers aggregation and skipped keys as well as plain keys; 6 and 7 decode to values that do not sort like
// their rendered texts next to 9 and 8 (a quote, a space), which switches the collector to its other sort keys.
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

describe('counter passes', () => {
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

describe('arenaIsPlain', () => {
  it('tells from the UTF-8 bytes what isPlain tells from the text', async () => {
    const slicing = { entries: 4, pause: async () => undefined };
    const characters = ['a', 'z', '0', '=', ',', '"', '!', ' ', '\\', '\n', '\u0000', 'é', '\u07ff', '\ud7ff', '\ue000', '\uffff', '\ud800', '\udfff', '😀', '\ud800x'];
    const texts = [''];
    for (const first of characters) for (const second of characters) texts.push(`l="${first}${second}"`);
    for (const text of texts) expect(await arenaIsPlain(labelArenaOf([text]), slicing), JSON.stringify(text)).toBe(isPlain(text));
    // Over many texts, one that is not plain makes the arena not plain, wherever it lies.
    const plainTexts = Array.from({ length: 100_000 }, (_, i) => `l="${i}"`);
    expect(await arenaIsPlain(labelArenaOf(plainTexts), slicing)).toBe(true);
    expect(await arenaIsPlain(labelArenaOf([...plainTexts, 'l="a b"']), slicing)).toBe(false);
  });
});
