import { asBytes, type Decoder } from './decoder';
import type { Kallsyms } from './kallsyms';

function readAddresses(bytes: Uint8Array, littleEndian: boolean): bigint[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const addresses: bigint[] = [];
  for (let offset = 0; offset + 8 <= bytes.byteLength; offset += 8) {
    const address = view.getBigUint64(offset, littleEndian);
    if (address === 0n) break;
    addresses.push(address);
  }
  return addresses;
}

/** An 8-byte kernel address to the symbol exactly at it, else `unknown_addr:0x<hex>`. */
export function createKsymDecoder(kallsyms: Kallsyms, littleEndian: boolean): Decoder {
  return {
    decode(input) {
      const bytes = asBytes(input);
      if (bytes.byteLength !== 8) throw new Error(`ksym: expected an 8-byte address, got ${bytes.byteLength} bytes`);
      const address = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, littleEndian);
      return kallsyms.exact(address) ?? `unknown_addr:0x${address.toString(16)}`;
    },
  };
}

/** An array of return addresses (ending at the first zero) to one symbol per line, `??` where none. */
export function createKstackDecoder(kallsyms: Kallsyms, littleEndian: boolean): Decoder {
  return {
    decode(input) {
      const names = kallsyms.nearest(readAddresses(asBytes(input), littleEndian));
      return names.map((name) => name ?? '??').join('\n');
    },
  };
}
