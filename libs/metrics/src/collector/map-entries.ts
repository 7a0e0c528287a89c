import type { LabelConfig } from '../config/types';
import { SKIP } from '../decoders/decoder';
import type { MapDump } from '../model';
import { CPU_INDEX_SIZE, hasCpuLabel, isPerCpuMapType, ZERO_KEY_SIZE } from './key-layout';
import type { DecodedKey, KeyDecoder } from './key-decoder';

const TWO_TO_32 = 2 ** 32;

/** A kernel u64 counter as a double, like Go's float64(uint64). */
function readU64(view: DataView, offset: number, littleEndian: boolean): number {
  const first = view.getUint32(offset, littleEndian);
  const second = view.getUint32(offset + 4, littleEndian);
  return littleEndian ? second * TWO_TO_32 + first : first * TWO_TO_32 + second;
}

function zeroBytes(bytes: Uint8Array, offset: number, length: number): boolean {
  for (let i = offset; i < offset + length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** One per pass (not shared between metrics: it carries the pass state of the series it stands for). */
const noLabels = (): DecodedKey => ({ labelValues: [], labelText: '', bucket: 0, refs: 0, pass: 0, seriesIndex: 0, sortRank: 0, sortPass: 0 });

/** `entry` is the key's index in the dump (per-CPU series of one key share it). */
export type EntryVisitor = (key: DecodedKey, value: number, entry: number) => void;

/** How a walk shares the thread: `entries` per slice, `pause()` awaited between two slices. */
export interface Slicing {
  entries: number;
  pause: () => Promise<void>;
}

/**
 * Walks a map dump as upstream reads a map: decodes every key into labels (dropping skipped label sets) and
 * hands over its u64 value. Per-CPU values are summed, or, when the last label is `cpu`, visited once per
 * CPU with the CPU index appended to the key as a 2-byte host-endian integer. The walk goes slice by slice
 * so a million-entry map does not hold the event loop for the whole of it; it is still one pass for the
 * key decoder.
 * @throws Error when the key size does not fit the labels or a decoder fails.
 */
export async function visitMapEntries(
  dump: MapDump,
  labels: readonly LabelConfig[],
  keyDecoder: KeyDecoder,
  littleEndian: boolean,
  visit: EntryVisitor,
  slicing: Slicing,
): Promise<void> {
  keyDecoder.beginPass();
  // At least one (maybe empty) range, so a key size that does not fit the labels fails even for an empty map.
  visitEntryRange(dump, 0, Math.min(dump.count, slicing.entries), labels, keyDecoder, littleEndian, visit);
  for (let first = slicing.entries; first < dump.count; first += slicing.entries) {
    await slicing.pause();
    visitEntryRange(dump, first, Math.min(dump.count, first + slicing.entries), labels, keyDecoder, littleEndian, visit);
  }
}

/** Reads an entry's u64 value; per-CPU values summed over the CPUs. */
export function entryValueReader(dump: MapDump, littleEndian: boolean): (entry: number) => number {
  const view = new DataView(dump.values.buffer, dump.values.byteOffset, dump.values.byteLength);
  const cpus = isPerCpuMapType(dump.type) ? dump.valuesPerKey : 1;
  const { valuesPerKey, valueStride } = dump;
  if (cpus === 1) return (entry) => readU64(view, entry * valuesPerKey * valueStride, littleEndian);
  return (entry) => {
    let total = 0;
    for (let cpu = 0; cpu < cpus; cpu++) total += readU64(view, (entry * valuesPerKey + cpu) * valueStride, littleEndian);
    return total;
  };
}

function visitEntryRange(
  dump: MapDump,
  first: number,
  last: number,
  labels: readonly LabelConfig[],
  keyDecoder: KeyDecoder,
  littleEndian: boolean,
  visit: EntryVisitor,
): void {
  const view = new DataView(dump.values.buffer, dump.values.byteOffset, dump.values.byteLength);
  const cpus = isPerCpuMapType(dump.type) ? dump.valuesPerKey : 1;
  const valueAt = (entry: number, cpu: number): number =>
    readU64(view, (entry * dump.valuesPerKey + cpu) * dump.valueStride, littleEndian);
  const summedValue = entryValueReader(dump, littleEndian);
  const keySize = dump.keySize;
  const keys = dump.keys;

  if (labels.length === 0) {
    // Metrics without labels live at index 0 of an array map; other slots are not part of the metric.
    const key = noLabels();
    for (let entry = first; entry < last; entry++) {
      if (keySize === ZERO_KEY_SIZE && zeroBytes(keys, entry * keySize, keySize)) visit(key, summedValue(entry), entry);
    }
    return;
  }

  if (hasCpuLabel(dump.type, labels)) {
    // Only a `cpu` label: the 4-byte array key carries no label, only index 0 is read.
    const onlyCpu = labels.length === 1 && keySize === ZERO_KEY_SIZE;
    const keyPart = onlyCpu ? 0 : keySize;
    const length = keyPart + CPU_INDEX_SIZE;
    if (length !== keyDecoder.labelBytes) {
      throw new Error(`labels take ${keyDecoder.labelBytes} bytes but the map key plus the CPU index is ${length} bytes`);
    }
    const scratch = new Uint8Array(length);
    const scratchView = new DataView(scratch.buffer);
    for (let entry = first; entry < last; entry++) {
      const keyOffset = entry * keySize;
      if (onlyCpu && !zeroBytes(keys, keyOffset, keySize)) continue;
      for (let i = 0; i < keyPart; i++) scratch[i] = keys[keyOffset + i] as number;
      for (let cpu = 0; cpu < cpus; cpu++) {
        scratchView.setUint16(keyPart, cpu, littleEndian);
        const decoded = keyDecoder.decode(scratch, 0, length);
        if (decoded !== SKIP) visit(decoded, valueAt(entry, cpu), entry);
      }
    }
    return;
  }

  if (keySize !== keyDecoder.labelBytes) {
    throw new Error(`labels take ${keyDecoder.labelBytes} bytes (sizes plus paddings) but the map has ${keySize}-byte keys`);
  }
  for (let entry = first; entry < last; entry++) {
    const decoded = keyDecoder.decode(keys, entry * keySize, keySize);
    if (decoded !== SKIP) visit(decoded, summedValue(entry), entry);
  }
}
