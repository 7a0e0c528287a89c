// Byte helpers shared by the specs (little-endian: host byte order of the x86 kernels these tests run on).

export function u32(value: number): Uint8Array {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}

export function u64(value: bigint | number): Uint8Array {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt(value));
  return bytes;
}

export function readU64(bytes: Uint8Array, offset = 0): bigint {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readBigUInt64LE(offset);
}

export function readU32(bytes: Uint8Array, offset = 0): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readUInt32LE(offset);
}

/** The key → value(s) pairs of a dump, keys as hex. */
export function entries(dump: { count: number; keySize: number; keys: Uint8Array; values: Uint8Array; valuesPerKey: number; valueStride: number }): Map<string, Uint8Array> {
  const result = new Map<string, Uint8Array>();
  const valueBytes = dump.valuesPerKey * dump.valueStride;
  for (let i = 0; i < dump.count; i++) {
    const key = Buffer.from(dump.keys.subarray(i * dump.keySize, (i + 1) * dump.keySize)).toString('hex');
    result.set(key, dump.values.subarray(i * valueBytes, (i + 1) * valueBytes));
  }
  return result;
}
