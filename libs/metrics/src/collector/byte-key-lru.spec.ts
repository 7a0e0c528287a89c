import { describe, expect, it } from 'vitest';
import { ByteKeyLru, hashBytes } from './byte-key-lru';

const key = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);

function put(lru: ByteKeyLru<string>, bytes: Uint8Array, value: string, hash = hashBytes(bytes, 0, bytes.length)): void {
  lru.set(bytes, 0, bytes.length, hash, value);
}

function get(lru: ByteKeyLru<string>, bytes: Uint8Array, hash = hashBytes(bytes, 0, bytes.length)): string | undefined {
  return lru.get(bytes, 0, bytes.length, hash);
}

describe('ByteKeyLru', () => {
  it('finds keys by their bytes anywhere in a buffer and keeps its own copy', () => {
    const lru = new ByteKeyLru<string>(10);
    const buffer = key(9, 1, 2, 3, 9);
    lru.set(buffer, 1, 3, hashBytes(buffer, 1, 3), 'abc');
    buffer[1] = 7;
    expect(get(lru, key(1, 2, 3))).toBe('abc');
    expect(get(lru, key(7, 2, 3))).toBeUndefined();
  });

  it('tells apart keys whose hashes collide', () => {
    const lru = new ByteKeyLru<string>(10);
    put(lru, key(1), 'one', 42);
    put(lru, key(2), 'two', 42);
    expect(get(lru, key(1), 42)).toBe('one');
    expect(get(lru, key(2), 42)).toBe('two');
    expect(get(lru, key(3), 42)).toBeUndefined();
    expect(lru.size).toBe(2);
  });

  it('evicts the least recently used key beyond its capacity', () => {
    const lru = new ByteKeyLru<string>(2);
    put(lru, key(1), 'one');
    put(lru, key(2), 'two');
    expect(get(lru, key(1))).toBe('one');
    put(lru, key(3), 'three');
    expect(get(lru, key(2))).toBeUndefined();
    expect(get(lru, key(1))).toBe('one');
    expect(get(lru, key(3))).toBe('three');
    expect(lru.size).toBe(2);
  });

  it('stores nothing with capacity 0', () => {
    const lru = new ByteKeyLru<string>(0);
    put(lru, key(1), 'one');
    expect(get(lru, key(1))).toBeUndefined();
    expect(lru.size).toBe(0);
  });
});
