import { asBytes, asText, type Decoder } from './decoder';

/** Bytes up to the first NUL, as C strings in BPF keys are padded with zeros. */
export const stringDecoder: Decoder = {
  decode(input) {
    if (typeof input === 'string') {
      const nul = input.indexOf('\0');
      return nul === -1 ? input : input.slice(0, nul);
    }
    const nul = input.indexOf(0);
    return asText(nul === -1 ? input : input.subarray(0, nul));
  },
};

const HEX_DIGITS = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += HEX_DIGITS[byte] as string;
  return out;
}

/** Lowercase hex of the raw bytes. */
export const hexDecoder: Decoder = {
  decode: (input) => toHex(asBytes(input)),
};

/** Host-endian unsigned integers of 1, 2, 4 or 8 bytes, in decimal. */
export function createUintDecoder(littleEndian: boolean): Decoder {
  // Assembled by hand: a DataView per key would be an allocation on the scrape hot path.
  const u32 = (bytes: Uint8Array, at: number): number =>
    littleEndian
      ? ((bytes[at] as number) | ((bytes[at + 1] as number) << 8) | ((bytes[at + 2] as number) << 16)) + (bytes[at + 3] as number) * 0x1000000
      : (bytes[at] as number) * 0x1000000 + (((bytes[at + 1] as number) << 16) | ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number));
  return {
    decode(input) {
      const bytes = asBytes(input);
      switch (bytes.byteLength) {
        case 1:
          return String(bytes[0]);
        case 2:
          return String(littleEndian ? (bytes[0] as number) | ((bytes[1] as number) << 8) : ((bytes[0] as number) << 8) | (bytes[1] as number));
        case 4:
          return String(u32(bytes, 0));
        case 8: {
          const high = u32(bytes, littleEndian ? 4 : 0);
          const low = u32(bytes, littleEndian ? 0 : 4);
          // Below 2^53 a double is exact; above, BigInt keeps every digit.
          return high < 0x200000 ? String(high * 0x100000000 + low) : ((BigInt(high) << 32n) | BigInt(low)).toString();
        }
        default:
          throw new Error(`uint: unknown value length ${bytes.byteLength}`);
      }
    },
  };
}
