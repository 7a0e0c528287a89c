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
  return {
    decode(input) {
      const bytes = asBytes(input);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      switch (bytes.byteLength) {
        case 1:
          return String(view.getUint8(0));
        case 2:
          return String(view.getUint16(0, littleEndian));
        case 4:
          return String(view.getUint32(0, littleEndian));
        case 8:
          return view.getBigUint64(0, littleEndian).toString();
        default:
          throw new Error(`uint: unknown value length ${bytes.byteLength}`);
      }
    },
  };
}
