// Small builders for BTF type descriptions, as the addon's mapTypes() returns them, for table tests that
// need a key struct without compiling one.
import type { BtfMember, BtfType, MapTypes } from '@ebpf-exporter/map-types';

const INT_NAMES: Record<number, string> = { 1: 'u8', 2: 'u16', 4: 'u32', 8: 'u64' };

export const int = (size: 1 | 2 | 4 | 8, name = INT_NAMES[size] as string, signed = false): BtfType => ({ kind: 'int', name, size, signed, char: false, bool: false });
export const char = (): BtfType => ({ kind: 'int', name: 'char', size: 1, signed: true, char: true, bool: false });
export const array = (element: BtfType, length: number): BtfType => ({ kind: 'array', name: element.name, size: element.size * length, element, length });
export const pointer = (target: string): BtfType => ({ kind: 'pointer', name: `${target} *`, size: 8, target });
export const enumType = (name: string, values: Record<string, number>, size = 4): BtfType => ({
  kind: 'enum',
  name: `enum ${name}`,
  size,
  signed: false,
  values: Object.entries(values).map(([valueName, value]) => ({ name: valueName, value: String(value) })),
});

type MemberSpec = [name: string, type: BtfType, bits?: { offset: number; bitOffset: number; bitSize: number }];

/** A struct laid out by C's rules (each member aligned to its own size, capped at 8), unless given offsets. */
export function struct(name: string, members: readonly MemberSpec[], packed = false): BtfType {
  let offset = 0;
  let align = 1;
  const out: BtfMember[] = members.map(([memberName, type, bits]) => {
    if (bits) {
      offset = Math.max(offset, bits.offset + Math.ceil((bits.bitOffset + bits.bitSize) / 8));
      align = Math.max(align, alignment(type));
      return { name: memberName, offset: bits.offset, bitOffset: bits.bitOffset, bitSize: bits.bitSize, type };
    }
    const memberAlign = packed ? 1 : alignment(type);
    align = Math.max(align, memberAlign);
    offset = Math.ceil(offset / memberAlign) * memberAlign;
    const member = { name: memberName, offset, bitOffset: 0, bitSize: 0, type };
    offset += type.size;
    return member;
  });
  return { kind: 'struct', name: `struct ${name}`, size: Math.ceil(offset / align) * align, members: out };
}

function alignment(type: BtfType): number {
  if (type.kind === 'array') return alignment(type.element);
  if (type.kind === 'struct' || type.kind === 'union') return Math.max(1, ...type.members.map((member) => alignment(member.type)));
  return Math.min(8, Math.max(1, type.size));
}

export function mapTypes(name: string, key: BtfType | undefined, options: Partial<MapTypes> = {}): MapTypes {
  return { name, type: 'hash', keySize: key?.size ?? 4, valueSize: 8, maxEntries: 1024, internal: false, ...(key ? { key } : {}), value: int(8), ...options };
}

/** A label as a table row: name, size, padding, first decoder (uint when absent). */
export type LabelRow = [name: string, size: number, padding?: number, decoder?: string];

/** A config with one metric over map `map` (and named after it), labels from rows. */
export function labelsConfigYaml(kind: 'counter' | 'histogram', map: string, labels: readonly LabelRow[]): string {
  const lines = ['metrics:', `  ${kind}s:`, `    - name: ${map}`, '      help: Things'];
  if (kind === 'histogram') lines.push('      bucket_type: exp2', '      bucket_max: 10');
  lines.push('      labels:');
  for (const [name, size, padding, decoder] of labels) {
    lines.push(`        - name: ${name}`, `          size: ${size}`);
    if (padding) lines.push(`          padding: ${padding}`);
    lines.push('          decoders:', `            - name: ${decoder ?? 'uint'}`);
  }
  return `${lines.join('\n')}\n`;
}
