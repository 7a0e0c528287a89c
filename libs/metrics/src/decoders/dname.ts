import { asBytes, asText, type Decoder } from './decoder';

/**
 * A DNS wire-format name (length-prefixed labels, ending at a zero length or the end of the input) to dotted
 * form without the trailing root dot, `.` for the root name. A label running past the end, or longer than
 * DNS allows, leaves the input unchanged.
 */
export const dnameDecoder: Decoder = {
  decode(input) {
    const bytes = asBytes(input);
    const labels: string[] = [];
    let offset = 0;
    while (offset < bytes.byteLength) {
      const length = bytes[offset] as number;
      if (length === 0) break;
      // DNS labels are at most 63 bytes; anything longer (or cut short) is not a wire-format name.
      if (length > 63 || offset + 1 + length > bytes.byteLength) return asText(input);
      labels.push(asText(bytes.subarray(offset + 1, offset + 1 + length)));
      offset += 1 + length;
    }
    return labels.length === 0 ? '.' : labels.join('.');
  },
};
