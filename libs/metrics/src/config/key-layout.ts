// How a config's labels lay out a BPF map's keys and values. It sits with the config because both sides
// read it: validate-maps checks the loaded maps against it and the collector decodes by it, and config may
// not import the collector (eslint.config.js).
import type { LabelConfig } from './types';

const PER_CPU_MAP_TYPES = new Set(['percpu_hash', 'percpu_array', 'lru_percpu_hash']);

/** Map types holding one value per possible CPU (libbpf type names). */
export function isPerCpuMapType(type: string): boolean {
  return PER_CPU_MAP_TYPES.has(type);
}

/** Bytes of a kernel value upstream reads per key (and per CPU): a host-endian u64. */
export const COUNTER_VALUE_SIZE = 8;

/** The index-0 key of an array map, which is how metrics without labels are stored. */
export const ZERO_KEY_SIZE = 4;

/** Bytes upstream appends to a per-CPU key so a last label named `cpu` can decode the CPU index. */
export const CPU_INDEX_SIZE = 2;

/**
 * A per-CPU map whose last label is `cpu` gets one series per CPU: the CPU index is not in the kernel key
 * but appended to it by user space.
 */
export function hasCpuLabel(mapType: string, labels: readonly LabelConfig[]): boolean {
  return isPerCpuMapType(mapType) && labels.length > 0 && labels[labels.length - 1]?.name === 'cpu';
}

/** Sum of label sizes and paddings that must come from the kernel key itself. */
export function labelBytesInKey(mapType: string, labels: readonly LabelConfig[]): number {
  const inKey = hasCpuLabel(mapType, labels) ? labels.slice(0, -1) : labels;
  return inKey.reduce((total, label) => total + label.size + label.padding, 0);
}

/**
 * Whether the kernel key size fits the labels. Labels that take no key bytes (no labels at all, or only the
 * appended `cpu` label) read index 0 of a 4-byte array key instead.
 */
export function keySizeMatches(mapType: string, labels: readonly LabelConfig[], keySize: number): boolean {
  const expected = labelBytesInKey(mapType, labels);
  return expected === keySize || (expected === 0 && keySize === ZERO_KEY_SIZE);
}
