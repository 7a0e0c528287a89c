// A counter map whose keys are byte for byte the ones of the last pass, in the same order, decodes to the
// same series in the same sorted order: only the values are new. That is the steady state of most maps
// (a kernel hash map returns an unchanged key set in the same bucket order), so the collector remembers
// where each entry went and replays it, skipping the label cache lookups and the ordering.
import type { MapDump } from '../model';
import type { DecodedKey } from './key-decoder';
import { entryValueReader, type Slicing } from './map-entries';

export interface CounterReplay {
  /** A copy of the key bytes of the pass that was recorded. */
  keys: Uint8Array;
  /** For each entry of that pass, the index of its series in `series`. */
  seriesOfEntry: Int32Array;
  /** The decoded label sets, sorted as the pass emitted them. */
  series: readonly DecodedKey[];
}

/** Compares 4 bytes at a time when both views are aligned (dumps and copies start at offset 0). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let start = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const words = a.byteLength >>> 2;
    const left = new Uint32Array(a.buffer, a.byteOffset, words);
    const right = new Uint32Array(b.buffer, b.byteOffset, words);
    for (let i = 0; i < words; i++) if (left[i] !== right[i]) return false;
    start = words * 4;
  }
  for (let i = start; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Records an ordered pass: `passIndexOfEntry` holds, per entry, the index the pass gave its series before
 * ordering (every entry must have one), `passKeys` the series' keys by that index, each with the `sortRank`
 * the ordering gave it.
 */
export function recordReplay(dump: MapDump, passIndexOfEntry: Int32Array, passKeys: readonly DecodedKey[]): CounterReplay {
  const series = new Array<DecodedKey>(passKeys.length);
  for (const key of passKeys) series[key.sortRank] = key;
  const seriesOfEntry = new Int32Array(dump.count);
  for (let entry = 0; entry < dump.count; entry++) {
    seriesOfEntry[entry] = (passKeys[passIndexOfEntry[entry] as number] as DecodedKey).sortRank;
  }
  return { keys: dump.keys.slice(), seriesOfEntry, series };
}

/** The values of the recorded series, in their order, from `dump`, whose keys must equal the recorded ones (see sameBytes). */
export async function replayValues(replay: CounterReplay, dump: MapDump, littleEndian: boolean, slicing: Slicing): Promise<Float64Array> {
  const valueOf = entryValueReader(dump, littleEndian);
  const totals = new Float64Array(replay.series.length);
  const { seriesOfEntry } = replay;
  for (let first = 0; first < dump.count; first += slicing.entries) {
    if (first > 0) await slicing.pause();
    for (let entry = first, last = Math.min(dump.count, first + slicing.entries); entry < last; entry++) {
      const index = seriesOfEntry[entry] as number;
      totals[index] = (totals[index] as number) + valueOf(entry);
    }
  }
  return totals;
}
