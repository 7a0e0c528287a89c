// A BPF map's key or value type as the object's BTF describes it, in plain data: typedefs and
// const/volatile resolved, offsets in bytes. The native binding builds it from libbpf's BTF (after open,
// before load); libs/metrics checks configs against it and renders it the way pahole prints a struct.

/** One member of a struct or union. */
export interface BtfMember {
  /** Empty for an anonymous struct or union member. */
  name: string;
  /** Byte offset of the member (of the byte holding its first bit, for a bitfield). */
  offset: number;
  /** Bits, for a bitfield; 0 for a whole-byte member. */
  bitSize: number;
  /** Bit offset inside the member's first byte (0 unless a bitfield). */
  bitOffset: number;
  type: BtfType;
}

interface BtfTypeBase {
  /** How C spells the type where it is used: the typedef (`u64`, `__u8`), `struct key_t`, `unsigned int`. */
  name: string;
  /** Bytes. */
  size: number;
}

export interface BtfEnumValue {
  name: string;
  /** As a decimal string: enum64 values do not fit a JavaScript number. */
  value: string;
}

export type BtfType =
  | (BtfTypeBase & { kind: 'int'; signed: boolean; char: boolean; bool: boolean })
  | (BtfTypeBase & { kind: 'enum'; signed: boolean; values: BtfEnumValue[] })
  | (BtfTypeBase & { kind: 'float' })
  /** `target`: how C spells what it points at (`struct task_struct`); not followed further. */
  | (BtfTypeBase & { kind: 'pointer'; target: string })
  | (BtfTypeBase & { kind: 'array'; element: BtfType; length: number })
  | (BtfTypeBase & { kind: 'struct' | 'union'; members: BtfMember[] })
  /** Anything else (functions, nesting deeper than the binding follows): only its size is known. */
  | (BtfTypeBase & { kind: 'other' });

/** A map of an opened object with the BTF of its key and value, when the object carries it. */
export interface MapTypes {
  name: string;
  /** libbpf's map type name, e.g. `hash`, `percpu_array`. */
  type: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  /** libbpf's own maps (`.rodata`, `.bss`, `.kconfig`), not declared in SEC(".maps"). */
  internal: boolean;
  /** Absent when the object has no BTF or the map declares `key_size` instead of `__type(key, ...)`. */
  key?: BtfType;
  value?: BtfType;
}
