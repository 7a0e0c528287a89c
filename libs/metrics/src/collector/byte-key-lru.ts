// A bounded LRU keyed by raw map-key bytes. Lookups hash the bytes where they lie in the dump and compare
// them in place, so a cache hit allocates nothing: the scrape hot path for large maps.

interface Entry<V> {
  key: Uint8Array;
  value: V;
  /** Next entry whose key has the same hash. */
  next: Entry<V> | undefined;
}

/** FNV-1a over `length` bytes of `bytes` starting at `offset`. */
export function hashBytes(bytes: Uint8Array, offset: number, length: number): number {
  let hash = 0x811c9dc5;
  for (let i = offset, end = offset + length; i < end; i++) {
    hash = Math.imul(hash ^ (bytes[i] as number), 0x01000193);
  }
  return hash >>> 0;
}

function sameBytes(key: Uint8Array, bytes: Uint8Array, offset: number, length: number): boolean {
  if (key.length !== length) return false;
  for (let i = 0; i < length; i++) if (key[i] !== bytes[offset + i]) return false;
  return true;
}

export class ByteKeyLru<V> {
  /** Hash buckets in least- to most-recently-used order (a Map keeps insertion order). */
  private readonly buckets = new Map<number, Entry<V>>();
  private entries = 0;

  /** @param capacity maximum number of keys kept; 0 disables the cache. */
  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries;
  }

  get(bytes: Uint8Array, offset: number, length: number, hash: number): V | undefined {
    const head = this.buckets.get(hash);
    for (let entry = head; entry !== undefined; entry = entry.next) {
      if (sameBytes(entry.key, bytes, offset, length)) {
        // Move the bucket to the most-recently-used end.
        this.buckets.delete(hash);
        this.buckets.set(hash, head as Entry<V>);
        return entry.value;
      }
    }
    return undefined;
  }

  /** Stores a copy of the key bytes with `value`; call after a `get` miss. */
  set(bytes: Uint8Array, offset: number, length: number, hash: number, value: V): void {
    if (this.capacity === 0) return;
    const head = this.buckets.get(hash);
    const entry: Entry<V> = { key: bytes.slice(offset, offset + length), value, next: head };
    this.buckets.delete(hash);
    this.buckets.set(hash, entry);
    this.entries++;
    while (this.entries > this.capacity) this.evictOldestBucket();
  }

  private evictOldestBucket(): void {
    const oldest = this.buckets.entries().next().value;
    if (oldest === undefined) return;
    const [hash, head] = oldest;
    this.buckets.delete(hash);
    for (let entry: Entry<V> | undefined = head; entry !== undefined; entry = entry.next) this.entries--;
  }
}
