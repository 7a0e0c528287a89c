import { describe, expect, it } from 'vitest';
import { formatMapRows } from './maps-dump';

describe('formatMapRows', () => {
  it('sums per-CPU u64 values and prints keys as byte lists', () => {
    const values = new Uint8Array(32);
    const view = new DataView(values.buffer);
    view.setBigUint64(0, 2n, true);
    view.setBigUint64(8, 3n, true);
    view.setBigUint64(16, 10n, true);
    view.setBigUint64(24, 0n, true);
    const rows = formatMapRows({
      name: 'm', type: 'percpu_hash', keySize: 2, valueSize: 8, valuesPerKey: 2, valueStride: 8, count: 2,
      keys: new Uint8Array([1, 0, 2, 0]), values,
    });
    expect(rows).toEqual(['[1 0] -> 5', '[2 0] -> 10']);
  });
});
