import { toHex } from './bytes-decoders';
import { asBytes, type Decoder } from './decoder';

function ipv4(bytes: Uint8Array, offset: number): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

function isV4Mapped(bytes: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (bytes[i] !== 0) return false;
  return bytes[10] === 0xff && bytes[11] === 0xff;
}

/** RFC 5952 text, as Go's net.IP.String: the longest run (first on ties) of two or more zero groups is `::`. */
function ipv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = (from: number, to: number): string =>
    groups
      .slice(from, to)
      .map((group) => group.toString(16))
      .join(':');
  if (bestStart === -1) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLength, 8)}`;
}

/** IPv4 or IPv6 address bytes, printed like Go's net.IP (v4-mapped IPv6 as dotted quad, bad length `?hex`). */
export const inetIpDecoder: Decoder = {
  decode(input) {
    const bytes = asBytes(input);
    if (bytes.byteLength === 0) return '<nil>';
    if (bytes.byteLength === 4) return ipv4(bytes, 0);
    if (bytes.byteLength === 16) return isV4Mapped(bytes) ? ipv4(bytes, 12) : ipv6(bytes);
    return `?${toHex(bytes)}`;
  },
};
