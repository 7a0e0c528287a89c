// A bounded cache keyed by raw map-key bytes. Lookups hash the bytes where they lie in the dump and compare
// them in place, so a cache hit allocates nothing: the scrape hot path for large maps. Keys are kept as
// Latin-1 strings, far smaller than one Uint8Array each.
//
// Eviction is second-chance (CLOCK), the usual cheap approximation of LRU: a hit only sets a flag, instead
// of reordering a list on every one of a million hits per scrape.

interface Entry<V> {
  key: string;
  value: V;
  /** Set on every hit, cleared when the entry is passed over once for eviction. */
  referenced: boolean;
  /** Next entry whose key has the same hash. */
  next: Entry<V> | undefined;
}

/** FNV-1a over `length` bytes of `bytes` starting at `offset`, as a signed 32-bit integer (a V8 Smi, cheap as a Map key). */
export function hashBytes(bytes: Uint8Array, offset: number, length: number): number {
  let hash = 0x811c9dc5;
  for (let i = offset, end = offset + length; i < end; i++) {
    hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
  }
  return hash | 0;
}

function sameBytes(key: string, bytes: Uint8Array, offset: number, length: number): boolean {
  if (key.length !== length) return false;
  for (let i = 0; i < length; i++) if (key.charCodeAt(i) !== bytes[offset + i]) return false;
  return true;
}

function latin1(bytes: Uint8Array, offset: number, length: number): string {
  // One flat string (concatenating byte by byte would leave a rope of small strings behind).
  return String.fromCharCode.apply(null, bytes.subarray(offset, offset + length) as unknown as number[]);
}

export class ByteKeyLru<V> {
  /** Hash buckets, oldest first (a Map keeps insertion order). */
  private readonly buckets = new Map<number, Entry<V>>();
  private entries = 0;

  /** @param capacity maximum number of keys kept (Infinity: unbounded); 0 disables the cache. */
  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries;
  }

  get(bytes: Uint8Array, offset: number, length: number, hash: number): V | undefined {
    for (let entry = this.buckets.get(hash); entry !== undefined; entry = entry.next) {
      if (sameBytes(entry.key, bytes, offset, length)) {
        entry.referenced = true;
        return entry.value;
      }
    }
    return undefined;
  }

  /** Stores a copy of the key bytes with `value`; call after a `get` miss. */
  set(bytes: Uint8Array, offset: number, length: number, hash: number, value: V): void {
    if (this.capacity === 0) return;
    const head = this.buckets.get(hash);
    const entry: Entry<V> = { key: latin1(bytes, offset, length), value, referenced: false, next: head };
    this.buckets.delete(hash);
    this.buckets.set(hash, entry);
    this.entries++;
    while (this.entries > this.capacity) this.evictOne();
  }

  /** Evicts the oldest bucket not used since it was last passed over; used ones go to the back once. */
  private evictOne(): void {
    for (;;) {
      const oldest = this.buckets.entries().next().value;
      if (oldest === undefined) return;
      const [hash, head] = oldest;
      this.buckets.delete(hash);
      let used = false;
      for (let entry: Entry<V> | undefined = head; entry !== undefined; entry = entry.next) {
        used ||= entry.referenced;
        entry.referenced = false;
      }
      if (used) {
        this.buckets.set(hash, head);
        continue;
      }
      for (let entry: Entry<V> | undefined = head; entry !== undefined; entry = entry.next) this.entries--;
      return;
    }
  }
}
