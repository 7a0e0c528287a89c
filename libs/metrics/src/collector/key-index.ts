// The raw keys of a map as one pass saw them, found again by their bytes: a series table's cache. Most keys
// of a scrape were there in the last one, so their series are found here, in typed arrays, without going
// through the decoders; and a map whose keys come back as the same bytes in the same order (one that only
// counted since) needs no lookup at all (see sameBytes).

/** FNV-1a over `length` bytes of `bytes` from `offset`, as a signed 32-bit integer. */
export function hashBytes(bytes: Uint8Array, offset: number, length: number): number {
  let hash = 0x811c9dc5;
  for (let i = offset, end = offset + length; i < end; i++) {
    hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
  }
  return hash | 0;
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

function sameKey(keys: Uint8Array, at: number, other: Uint8Array, otherAt: number, size: number): boolean {
  for (let i = 0; i < size; i++) if (keys[at + i] !== other[otherAt + i]) return false;
  return true;
}

const EMPTY_SLOT = 0;

/** The first `count` keys of a pass (`keySize` bytes each, back to back), by open addressing on their hash. */
export class KeyIndex {
  /** Recorded key + 1, or EMPTY_SLOT; a power of two at least twice the keys, so probes stay short. */
  private readonly slots: Int32Array;

  /** @param keys kept, not copied: a map source hands out fresh buffers for each read (see MapSource). */
  constructor(
    readonly keys: Uint8Array,
    readonly keySize: number,
    readonly count: number,
  ) {
    let size = 8;
    while (size < count * 2) size *= 2;
    this.slots = new Int32Array(size);
  }

  /** Indexes keys [from, to): called slice by slice, in order, before any `find`. */
  insert(from: number, to: number): void {
    const { slots, keys, keySize } = this;
    const mask = slots.length - 1;
    for (let key = from; key < to; key++) {
      let slot = hashBytes(keys, key * keySize, keySize) & mask;
      while (slots[slot] !== EMPTY_SLOT) slot = (slot + 1) & mask;
      slots[slot] = key + 1;
    }
  }

  /** The recorded key equal to the `keySize` bytes of `bytes` at `offset` (the first one, if several), or -1. */
  find(bytes: Uint8Array, offset: number): number {
    const { slots, keys, keySize } = this;
    const mask = slots.length - 1;
    for (let slot = hashBytes(bytes, offset, keySize) & mask; ; slot = (slot + 1) & mask) {
      const recorded = (slots[slot] as number) - 1;
      if (recorded < 0) return -1;
      if (sameKey(keys, recorded * keySize, bytes, offset, keySize)) return recorded;
    }
  }

  /** Whether `count` keys of `keySize` bytes are this index's keys, all of them, byte for byte. */
  holdsExactly(keys: Uint8Array, keySize: number, count: number): boolean {
    return keySize === this.keySize && count === this.count && keys.byteLength === count * keySize && sameBytes(this.keys, keys);
  }
}
