// A map key's BTF type as the byte ranges labels can read (its leaf members, nested structs flattened) and
// as text the way pahole prints a struct, so an error can show the layout the YAML has to follow.
import type { BtfType } from '@ebpf-exporter/map-types';

/** A member no label can split further: an integer, enum, pointer, array or union; nested structs are opened. */
export interface LeafMember {
  /** Dotted through nested structs (`addr.saddr`); `(key)` when the key is not a struct at all. */
  name: string;
  offset: number;
  size: number;
  type: BtfType;
  bitfield: boolean;
}

/** Bytes no member covers: between two members (a hole) or after the last (the struct's tail padding). */
export interface PaddingRange {
  offset: number;
  size: number;
  /** The member the padding follows, if any. */
  after?: LeafMember;
}

const KEY_NAME = '(key)';
const MAX_NESTING = 8;

function leavesOf(type: BtfType, prefix: string, base: number, depth: number, out: LeafMember[]): void {
  if (type.kind !== 'struct' || depth > MAX_NESTING) return;
  for (const member of type.members) {
    const name = member.name === '' ? prefix.replace(/\.$/, '') : `${prefix}${member.name}`;
    const offset = base + member.offset;
    if (member.type.kind === 'struct' && member.bitSize === 0) {
      leavesOf(member.type, name === '' ? '' : `${name}.`, offset, depth + 1, out);
    } else {
      const size = member.bitSize !== 0 ? Math.ceil((member.bitOffset + member.bitSize) / 8) : member.type.size;
      out.push({ name: name === '' ? '(anon)' : name, offset, size, type: member.type, bitfield: member.bitSize !== 0 });
    }
  }
}

/** The leaf members in offset order. A key that is not a struct is one leaf named `(key)`. */
export function leafMembers(key: BtfType): LeafMember[] {
  if (key.kind !== 'struct') return [{ name: KEY_NAME, offset: 0, size: key.size, type: key, bitfield: false }];
  const leaves: LeafMember[] = [];
  leavesOf(key, '', 0, 0, leaves);
  // Bitfields can share a byte; a stable sort keeps them in declaration order.
  return leaves.sort((a, b) => a.offset - b.offset);
}

/** Padding written out in C (`u8 pad[3]`, `__u32 reserved`): labels skip it with `padding`, as a hole. */
const EXPLICIT_PADDING = /(^|\.)_*(pad|padding|reserved|unused)\d*$/i;

export const isExplicitPadding = (leaf: LeafMember): boolean => EXPLICIT_PADDING.test(leaf.name);

/** Every run of bytes in `size` that no leaf covers. */
export function paddingRanges(leaves: readonly LeafMember[], size: number): PaddingRange[] {
  const ranges: PaddingRange[] = [];
  let covered = 0;
  let last: LeafMember | undefined;
  for (const leaf of leaves) {
    if (leaf.offset > covered) ranges.push({ offset: covered, size: leaf.offset - covered, after: last });
    if (leaf.offset + leaf.size > covered) {
      covered = leaf.offset + leaf.size;
      last = leaf;
    }
  }
  if (size > covered) ranges.push({ offset: covered, size: size - covered, after: last });
  return ranges;
}

/** How C declares a member of this type: `u64 ts`, `u8 addr[16]`, `struct request * rq`. */
export function declaration(type: BtfType, name: string): string {
  let dimensions = '';
  let element = type;
  while (element.kind === 'array') {
    dimensions += `[${element.length}]`;
    element = element.element;
  }
  return `${element.name} ${name}${dimensions}`;
}

/** A one-line spelling of a member's type: `u8[16]`, `char[16]`, `u64`, `struct request *`. */
export function typeSpelling(type: BtfType): string {
  return declaration(type, '').replace(' [', '[').trimEnd();
}

const CACHELINE = 64;
const COLUMN = 40;

/** Labels (by name) that read or pad over some byte of [offset, offset + size): shown beside each line. */
export type ByteOwners = (offset: number, size: number) => string[];

function annotate(line: string, owners: string[]): string {
  return owners.length === 0 ? line : `${line}  ${owners.join(', ')}`;
}

/**
 * The struct as `pahole` prints it: one line per member with `/* offset size *\/`, holes and tail padding
 * called out, a size summary; with `owners`, the labels that read each member at the end of its line.
 */
export function renderLayout(key: BtfType, owners?: ByteOwners): string {
  const leaves = leafMembers(key);
  const holes = paddingRanges(leaves, key.size);
  const who: ByteOwners = owners ?? (() => []);
  if (key.kind !== 'struct') {
    const text = `${declaration(key, 'key')}; /* not a struct */`;
    return annotate(`${text.padEnd(COLUMN)} /* ${String(0).padStart(5)} ${String(key.size).padStart(5)} */`, who(0, key.size));
  }
  const lines: string[] = [`${key.name} {`];
  const entries = [...leaves.map((leaf) => ({ offset: leaf.offset, leaf })), ...holes.map((hole) => ({ offset: hole.offset, hole }))].sort(
    (a, b) => a.offset - b.offset || ('leaf' in a ? -1 : 1),
  );
  for (const entry of entries) {
    if ('leaf' in entry && entry.leaf) {
      const { leaf } = entry;
      const bits = leaf.bitfield ? ' /* bitfield */' : '';
      const text = `    ${declaration(leaf.type, leaf.name)};${bits}`;
      lines.push(annotate(`${text.padEnd(COLUMN)} /* ${String(leaf.offset).padStart(5)} ${String(leaf.size).padStart(5)} */`, who(leaf.offset, leaf.size)));
    } else if ('hole' in entry && entry.hole) {
      const { hole } = entry;
      const tail = hole.offset + hole.size === key.size && hole.offset > 0;
      const text = tail ? `    /* padding: ${hole.size} */` : `    /* XXX ${hole.size} byte${hole.size === 1 ? '' : 's'} hole, try to pack */`;
      lines.push(annotate(`${text.padEnd(COLUMN)} /* ${String(hole.offset).padStart(5)} ${String(hole.size).padStart(5)} */`, who(hole.offset, hole.size)));
    }
  }
  const holeBytes = holes.filter((hole) => hole.offset + hole.size < key.size).reduce((total, hole) => total + hole.size, 0);
  const holeCount = holes.filter((hole) => hole.offset + hole.size < key.size).length;
  lines.push('');
  lines.push(`    /* size: ${key.size}, cachelines: ${Math.max(1, Math.ceil(key.size / CACHELINE))}, members: ${leaves.length} */`);
  if (holeCount > 0) lines.push(`    /* sum members: ${leaves.reduce((total, leaf) => total + leaf.size, 0)}, holes: ${holeCount}, sum holes: ${holeBytes} */`);
  lines.push('};');
  return lines.join('\n');
}
