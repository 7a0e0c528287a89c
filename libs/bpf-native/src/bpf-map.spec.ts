import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../test-fixtures/fixtures.js';
import { entries, readU32, readU64, u32, u64 } from '../test-fixtures/bytes.js';
import { BpfObject } from './index.js';

const SYS_KILL = 62n; // x86_64
let object: BpfObject;

beforeAll(async () => {
  object = BpfObject.open(fixture('maps'));
  object.setGlobalU64('target_tgid', BigInt(process.pid));
  object.setGlobalU64('kaddr_marker', 7n);
  await object.load();
  object.attachAll();
  for (let i = 0; i < 30; i++) process.kill(process.pid, 0);
});

afterAll(() => object.close());

function wideKey(index: number): Uint8Array {
  return Buffer.concat([u64(index * 3), u64(index)]);
}

describe('BpfMap.read', () => {
  it('reads a hash the program filled, by batch and by iteration', async () => {
    const map = object.map('syscall_counts');
    const batch = await map.read();
    const iterated = await map.read({ method: 'iterate' });
    expect(batch).toMatchObject({ name: 'syscall_counts', type: 'hash', keySize: 8, valueSize: 8, valuesPerKey: 1, valueStride: 8, method: 'batch' });
    expect(iterated.method).toBe('iterate');
    for (const dump of [batch, iterated]) {
      expect(dump.keys.byteLength).toBe(dump.count * 8);
      expect(dump.values.byteLength).toBe(dump.count * 8);
      const kills = entries(dump).get(Buffer.from(u64(SYS_KILL)).toString('hex'));
      expect(kills && readU64(kills)).toBeGreaterThanOrEqual(30n);
    }
  });

  it('reads every slot of an array, including what userspace wrote', async () => {
    const map = object.map('totals');
    map.update(u32(3), u64(123_456_789n));
    for (const method of ['auto', 'iterate'] as const) {
      const dump = await map.read({ method });
      expect(dump.method).toBe(method === 'auto' ? 'batch' : 'iterate');
      expect(dump.count).toBe(4);
      expect([...Array(4).keys()].map((i) => readU32(dump.keys, i * 4))).toEqual([0, 1, 2, 3]);
      expect(readU64(dump.values, 0)).toBeGreaterThanOrEqual(30n);
      expect(readU64(dump.values, 8)).toBe(7n); // kaddr_marker, copied by the program
      expect(readU64(dump.values, 16)).toBe(0n);
      expect(readU64(dump.values, 24)).toBe(123_456_789n);
    }
  });

  it('reads per-CPU values in 8-byte slots, one per possible CPU', async () => {
    const map = object.map('percpu_events');
    const cpus = map.info.valuesPerKey;
    expect(cpus).toBeGreaterThanOrEqual(1);
    const written = Buffer.alloc(cpus * 8);
    for (let cpu = 0; cpu < cpus; cpu++) written.writeUInt32LE(1000 + cpu, cpu * 8);
    map.update(u32(1), written);

    for (const method of ['auto', 'iterate'] as const) {
      const dump = await map.read({ method });
      expect(dump).toMatchObject({ type: 'percpu_array', valueSize: 4, valueStride: 8, valuesPerKey: cpus, count: 2 });
      expect(dump.values.byteLength).toBe(2 * cpus * 8);
      let kernelCount = 0;
      for (let cpu = 0; cpu < cpus; cpu++) {
        kernelCount += readU32(dump.values, cpu * 8);
        expect(readU32(dump.values, (cpus + cpu) * 8)).toBe(1000 + cpu);
      }
      expect(kernelCount).toBeGreaterThanOrEqual(30);
    }
  });

  it('reads a per-CPU hash written from userspace', async () => {
    const map = object.map('percpu_hash');
    const cpus = map.info.valuesPerKey;
    for (let key = 1; key <= 5; key++) {
      map.update(u32(key), Buffer.concat([...Array(cpus).keys()].map((cpu) => u64(key * 100 + cpu))));
    }
    const dump = await map.read();
    expect(dump).toMatchObject({ method: 'batch', count: 5, valuesPerKey: cpus, valueStride: 8 });
    for (const [key, values] of entries(dump)) {
      const k = Buffer.from(key, 'hex').readUInt32LE();
      for (let cpu = 0; cpu < cpus; cpu++) expect(readU64(values, cpu * 8)).toBe(BigInt(k * 100 + cpu));
    }
  });

  it('reads a 100k-entry hash completely and correctly', async () => {
    const map = object.map('big_hash');
    const size = 100_000;
    for (let i = 0; i < size; i++) map.update(wideKey(i), u64(i * 7));

    const started = performance.now();
    const batch = await map.read();
    const batchMs = performance.now() - started;
    // 200k syscalls take long enough that a 1 ms timer must fire meanwhile, unless the read blocks the loop.
    let timerTicks = 0;
    const timer = setInterval(() => timerTicks++, 1);
    const iterStarted = performance.now();
    const iterated = await map.read({ method: 'iterate' });
    const iterateMs = performance.now() - iterStarted;
    clearInterval(timer);
    expect(timerTicks).toBeGreaterThan(0);
    console.info(`big_hash ${size} entries: batch ${batchMs.toFixed(1)} ms, iterate ${iterateMs.toFixed(1)} ms`);

    for (const dump of [batch, iterated]) {
      expect(dump.count).toBe(size);
      const seen = new Set<bigint>();
      for (let i = 0; i < dump.count; i++) {
        const index = readU64(dump.keys, i * 16 + 8);
        expect(readU64(dump.keys, i * 16)).toBe(index * 3n);
        expect(readU64(dump.values, i * 8)).toBe(index * 7n);
        seen.add(index);
      }
      expect(seen.size).toBe(size);
    }
    expect(batch.method).toBe('batch');

    // Two entries per call: buckets holding more entries make the kernel answer ENOSPC, which must be
    // retried with a larger batch rather than ending the read early.
    const small = await map.read({ batchSize: 2 });
    expect(small.method).toBe('batch');
    expect(small.count).toBe(size);
    expect(Buffer.from(small.keys).equals(Buffer.from(batch.keys))).toBe(true);
    expect(Buffer.from(small.values).equals(Buffer.from(batch.values))).toBe(true);
  });

  it('reads at most maxEntries, by batch and by iteration, and says when it stopped there', async () => {
    const map = object.map('big_hash');
    for (let i = 0; i < 5_000; i++) map.update(wideKey(i), u64(i));
    // The map may hold more from other tests: all of them is what a read without a cap gives.
    const size = (await map.read()).count;
    for (const method of ['auto', 'iterate'] as const) {
      for (const batchSize of method === 'auto' ? [0, 7] : [0]) {
        const capped = await map.read({ method, batchSize, maxEntries: 1_000 });
        expect([capped.count, capped.truncated, capped.keys.length], `${method} ${batchSize}`).toEqual([1_000, true, 1_000 * 16]);
        // Every entry read is one of the map's, once.
        const indexes = new Set(Array.from({ length: capped.count }, (_, i) => readU64(capped.keys, i * 16 + 8)));
        expect(indexes.size).toBe(1_000);
        expect([...indexes].every((index) => index < BigInt(size))).toBe(true);
        const whole = await map.read({ method, batchSize, maxEntries: size + 1 });
        expect([whole.count, whole.truncated]).toEqual([size, false]);
      }
    }
    expect((await map.read()).truncated).toBe(false);
    expect(() => map.read({ maxEntries: -1 })).toThrow(/maxEntries/);
  });

  it('falls back to get_next_key + lookup for a map type without batch support (stack traces)', async () => {
    const map = object.map('kernel_stacks');
    expect(map.info.type).toBe('stack_trace');
    const dump = await map.read();
    expect(dump.method).toBe('iterate');
    expect(dump.count).toBeGreaterThan(0);
    const forced = await map.read({ method: 'iterate' });
    expect(new Set(entries(forced).keys())).toEqual(new Set(entries(dump).keys()));
  });
});

describe('BpfMap single entries', () => {
  it('looks up, updates with flags and deletes', () => {
    const map = object.map('percpu_hash');
    const cpus = map.info.valuesPerKey;
    const value = Buffer.alloc(cpus * 8, 1);
    expect(map.lookup(u32(42))).toBeUndefined();
    map.update(u32(42), value, 'noexist');
    expect(Buffer.from(map.lookup(u32(42)) ?? [])).toEqual(value);
    expect(() => map.update(u32(42), value, 'noexist')).toThrow(expect.objectContaining({ code: 'EEXIST', map: 'percpu_hash', object: 'maps' }));
    expect(map.delete(u32(42))).toBe(true);
    expect(map.delete(u32(42))).toBe(false);
    expect(() => map.update(u32(42), value, 'exist')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it('refuses keys and values of the wrong size before the kernel sees them', () => {
    const map = object.map('totals');
    expect(() => map.lookup(u64(0))).toThrow(expect.objectContaining({ code: 'EINVAL', map: 'totals', message: expect.stringMatching(/key must be a Uint8Array of 4 bytes, got 8 bytes/) }));
    expect(() => map.update(u32(0), u32(0))).toThrow(expect.objectContaining({ code: 'EINVAL', message: expect.stringMatching(/value must be a Uint8Array of 8 bytes/) }));
    expect(() => object.map('percpu_events').update(u32(0), u32(0))).toThrow(expect.objectContaining({ code: 'EINVAL' }));
  });

  it('describes every map of the object', () => {
    expect(object.maps().find((info) => info.name === 'percpu_events')).toEqual({
      name: 'percpu_events',
      type: 'percpu_array',
      keySize: 4,
      valueSize: 4,
      maxEntries: 2,
      valuesPerKey: object.map('percpu_events').info.valuesPerKey,
      valueStride: 8,
    });
  });
});
