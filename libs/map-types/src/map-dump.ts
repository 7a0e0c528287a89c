/** One whole BPF map as read from the kernel, keys and values packed back to back. */
export interface MapDump {
  name: string;
  /** libbpf's map type name, e.g. `hash`, `array`, `percpu_array`, `lru_percpu_hash`. */
  type: string;
  keySize: number;
  valueSize: number;
  /** Number of possible CPUs for per-CPU maps, 1 for everything else. */
  valuesPerKey: number;
  /** Bytes between two consecutive values: per-CPU slots are rounded up to 8 bytes by the kernel. */
  valueStride: number;
  count: number;
  /** `count * keySize` bytes. */
  keys: Uint8Array;
  /** `count * valuesPerKey * valueStride` bytes, in host byte order. */
  values: Uint8Array;
  /** The read stopped at the entries it was allowed (a cap below the map's size): the map may hold more. */
  truncated?: boolean;
}
