// mapTypes(): the keys and values of test-fixtures/maps.bpf.c as its BTF describes them, read after open
// (nothing loaded, so no root needed) and refused once the object is closed.
import { describe, expect, it } from 'vitest';
import { fixture } from '../test-fixtures/fixtures.js';
import { BpfObject } from './index.js';

const u64 = { kind: 'int', name: '__u64', size: 8, signed: false, char: false, bool: false };

describe('BpfObject.mapTypes', () => {
  it('describes key and value types before load, typedef spellings kept', () => {
    const object = BpfObject.open(fixture('maps'));
    try {
      const maps = object.mapTypes();
      const byName = new Map(maps.map((map) => [map.name, map]));
      expect(byName.get('syscall_counts')).toMatchObject({ type: 'hash', keySize: 8, valueSize: 8, internal: false, key: u64, value: u64 });
      expect(byName.get('big_hash')?.key).toEqual({
        kind: 'struct',
        name: 'struct wide_key',
        size: 16,
        members: [
          { name: 'high', offset: 0, bitSize: 0, bitOffset: 0, type: u64 },
          { name: 'low', offset: 8, bitSize: 0, bitOffset: 0, type: u64 },
        ],
      });
      expect(byName.get('percpu_events')).toMatchObject({ type: 'percpu_array', key: { kind: 'int', name: '__u32', size: 4 } });
      // The stack map's value is declared by size; the read-only globals are libbpf's own map.
      expect(byName.get('kernel_stacks')?.value).toBeUndefined();
      expect(maps.find((map) => map.name.endsWith('.rodata'))?.internal).toBe(true);
    } finally {
      object.close();
    }
  });

  it('is refused once the object is closed', () => {
    const object = BpfObject.open(fixture('maps'));
    object.close();
    expect(() => object.mapTypes()).toThrow(/cannot list map types: the object is closed/);
  });
});
