import type { LabelConfig, ValueField } from '../config/types';
import type { MapDump } from '../model';
import { CPU_INDEX_SIZE, hasCpuLabel, isPerCpuMapType, type MetricKind, ZERO_KEY_SIZE } from '../config/key-layout';

const TWO_TO_32 = 2 ** 32;

/** A kernel u64 counter as a double, like Go's float64(uint64). */
function readU64(view: DataView, offset: number, littleEndian: boolean): number {
  const first = view.getUint32(offset, littleEndian);
  const second = view.getUint32(offset + 4, littleEndian);
  return littleEndian ? second * TWO_TO_32 + first : first * TWO_TO_32 + second;
}

/** A kernel s64 as a double, like Go's float64(int64): the high word carries the sign. */
function readS64(view: DataView, offset: number, littleEndian: boolean): number {
  return littleEndian
    ? view.getInt32(offset + 4, true) * TWO_TO_32 + view.getUint32(offset, true)
    : view.getInt32(offset, false) * TWO_TO_32 + view.getUint32(offset + 4, false);
}

/** Reads `field` of the value slot starting at a byte offset. */
function fieldReader(view: DataView, { offset, size, signed }: ValueField, littleEndian: boolean): (slot: number) => number {
  switch (size) {
    case 1:
      return signed ? (slot) => view.getInt8(slot + offset) : (slot) => view.getUint8(slot + offset);
    case 2:
      return signed ? (slot) => view.getInt16(slot + offset, littleEndian) : (slot) => view.getUint16(slot + offset, littleEndian);
    case 4:
      return signed ? (slot) => view.getInt32(slot + offset, littleEndian) : (slot) => view.getUint32(slot + offset, littleEndian);
    case 8:
      return signed ? (slot) => readS64(view, slot + offset, littleEndian) : (slot) => readU64(view, slot + offset, littleEndian);
  }
}

function zeroBytes(bytes: Uint8Array, offset: number, length: number): boolean {
  for (let i = offset; i < offset + length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** How a walk shares the thread: `entries` per slice, `pause()` awaited between two slices. */
export interface Slicing {
  entries: number;
  pause: () => Promise<void>;
}

/**
 * A map's entries as upstream reads them: the bytes the labels decode, back to back, and each one's value
 * (the metric's field of it). Usually the dump's own keys and values. A per-CPU map whose labels end with
 * `cpu` (after the bucket label, for a histogram) has one entry per key and CPU, the key followed by the CPU
 * index as a 2-byte host-endian integer; other per-CPU values are summed. Labels that take no key bytes (no
 * labels, or only `cpu`) read index 0 of a 4-byte array key.
 */
export interface MapEntries {
  count: number;
  keySize: number;
  keys: Uint8Array;
  value: (entry: number) => number;
  /** Entry values of another field of the map's values (a histogram's `sum`). */
  reader: (field: ValueField) => (entry: number) => number;
}

/** How a metric reads its map: its labels (sizes plus paddings: `labelBytes`), kind and value field. */
export interface EntryLayout {
  labels: readonly LabelConfig[];
  labelBytes: number;
  kind: MetricKind;
  value: ValueField;
}

/** @throws Error when the key size does not fit the labels. */
export function mapEntries(dump: MapDump, { labels, labelBytes, kind, value }: EntryLayout, littleEndian: boolean): MapEntries {
  const view = new DataView(dump.values.buffer, dump.values.byteOffset, dump.values.byteLength);
  const cpus = isPerCpuMapType(dump.type) ? dump.valuesPerKey : 1;
  const { valuesPerKey, valueStride, keySize } = dump;
  const slotOf = (entry: number, cpu: number): number => (entry * valuesPerKey + cpu) * valueStride;
  // Per kernel entry, the field summed over its CPUs (one slot for other maps).
  const summedOf = (field: ValueField) => {
    const read = fieldReader(view, field, littleEndian);
    if (cpus === 1) return (entry: number) => read(slotOf(entry, 0));
    return (entry: number) => {
      let total = 0;
      for (let cpu = 0; cpu < cpus; cpu++) total += read(slotOf(entry, cpu));
      return total;
    };
  };
  const entriesOf = (count: number, size: number, keys: Uint8Array, readerOf: (field: ValueField) => (entry: number) => number): MapEntries => ({
    count,
    keySize: size,
    keys,
    value: readerOf(value),
    reader: readerOf,
  });

  if (labels.length === 0) {
    // Metrics without labels live at index 0 of an array map; other slots are not part of the metric.
    const zeroKeyed: number[] = [];
    for (let entry = 0; entry < dump.count; entry++) {
      if (keySize === ZERO_KEY_SIZE && zeroBytes(dump.keys, entry * keySize, keySize)) zeroKeyed.push(entry);
    }
    return entriesOf(zeroKeyed.length, 0, new Uint8Array(0), (field) => {
      const summed = summedOf(field);
      return (entry) => summed(zeroKeyed[entry] as number);
    });
  }

  if (hasCpuLabel(dump.type, labels, kind)) {
    // Only a `cpu` label: the 4-byte array key carries no label, only index 0 is read.
    const onlyCpu = labels.length === 1 && keySize === ZERO_KEY_SIZE;
    const keyPart = onlyCpu ? 0 : keySize;
    const size = keyPart + CPU_INDEX_SIZE;
    if (size !== labelBytes) throw new Error(`labels take ${labelBytes} bytes but the map key plus the CPU index is ${size} bytes`);
    const sources: number[] = [];
    for (let entry = 0; entry < dump.count; entry++) {
      if (!onlyCpu || zeroBytes(dump.keys, entry * keySize, keySize)) sources.push(entry);
    }
    const keys = new Uint8Array(sources.length * cpus * size);
    const keyView = new DataView(keys.buffer);
    sources.forEach((source, i) => {
      for (let cpu = 0; cpu < cpus; cpu++) {
        const at = (i * cpus + cpu) * size;
        keys.set(dump.keys.subarray(source * keySize, source * keySize + keyPart), at);
        keyView.setUint16(at + keyPart, cpu, littleEndian);
      }
    });
    return entriesOf(sources.length * cpus, size, keys, (field) => {
      const read = fieldReader(view, field, littleEndian);
      return (entry) => read(slotOf(sources[Math.floor(entry / cpus)] as number, entry % cpus));
    });
  }

  if (keySize !== labelBytes) throw new Error(`labels take ${labelBytes} bytes (sizes plus paddings) but the map has ${keySize}-byte keys`);
  return entriesOf(dump.count, keySize, dump.keys, summedOf);
}

/** Calls `visit` for 0..count-1, pausing between slices of `slicing.entries`. */
export async function forEachSliced(count: number, slicing: Slicing, visit: (index: number) => void): Promise<void> {
  await forEachSlice(count, slicing, (from, to) => {
    for (let i = from; i < to; i++) visit(i);
  });
}

/**
 * Calls `visit` with consecutive ranges [from, to) that cover 0..count-1, pausing between them. For the
 * hottest loop (a replayed scrape): the loop inside `visit` is the caller's own, optimized for its body,
 * where forEachSliced calls whichever visitor it was given, once per entry, a call V8 cannot inline.
 */
export async function forEachSlice(count: number, slicing: Slicing, visit: (from: number, to: number) => void): Promise<void> {
  for (let first = 0; first < count; first += slicing.entries) {
    if (first > 0) await slicing.pause();
    visit(first, Math.min(count, first + slicing.entries));
  }
}
