import type { DecoderConfig } from '../config/types';

/** Returned by a decoder to drop the whole label set (a regexp that did not match), which is not an error. */
export const SKIP = Symbol('skip label set');
export type Skip = typeof SKIP;

/** The first decoder of a label sees the key bytes; later ones see the previous decoder's output. */
export type DecoderInput = Uint8Array | string;

/** One decoder: turns its input into a label value, or throws an Error that fails the metric for this scrape. */
export interface Decoder {
  decode(input: DecoderInput, config: DecoderConfig): string | Skip;
}

/** Everything decoders need from the host; the exporter implements it with files under /proc and /sys. */
export interface DecoderEnvironment {
  littleEndian: boolean;
  arch: 'x86_64' | 'arm64';
  /** Contents of /proc/kallsyms. */
  kallsyms(): string;
  /** Contents of /proc/partitions. */
  partitions(): string;
  ifname(index: number): string | undefined;
  /** Full path (with the /sys/fs/cgroup prefix) of the cgroup with this id, if known. */
  cgroupPath(id: bigint): string | undefined;
  /** Contents of pci.ids, or undefined when no database is installed. */
  pciIds(): string | undefined;
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

/** Go decoders work on bytes: a string from an earlier decoder is used as its UTF-8 bytes. */
export function asBytes(input: DecoderInput): Uint8Array {
  return typeof input === 'string' ? textEncoder.encode(input) : input;
}

/** Go turns bytes into a string as is; invalid UTF-8 becomes U+FFFD here so the exposition stays valid. */
export function asText(input: DecoderInput): string {
  return typeof input === 'string' ? input : textDecoder.decode(input);
}

/** Parses an unsigned decimal label value such as the output of `uint`, or throws. */
export function parseUnsigned(input: DecoderInput, what: string): bigint {
  const text = asText(input);
  if (!/^\d+$/.test(text)) throw new Error(`${what}: cannot parse ${JSON.stringify(text)} as an unsigned integer`);
  return BigInt(text);
}

/** Like parseUnsigned, as a number: exact for table lookups, which only hold small numbers. */
export function parseUnsignedNumber(input: DecoderInput, what: string): number {
  const text = asText(input);
  if (!/^\d+$/.test(text)) throw new Error(`${what}: cannot parse ${JSON.stringify(text)} as an unsigned integer`);
  return Number(text);
}
