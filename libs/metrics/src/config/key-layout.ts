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
export function hasCpuLabel(mapType: string, labels: readonly LabelConfig[], kind: MetricKind = 'counter'): boolean {
  return isPerCpuMapType(mapType) && (kind === 'histogram' ? hasPerCpuLabel(labels) : labels[labels.length - 1]?.name === 'cpu');
}

/** Counters and gauges, whose labels are all series labels, or histograms, whose bucket label is not. */
export type MetricKind = 'counter' | 'histogram';

/**
 * Whether a histogram's labels end with `cpu` after the bucket label: one histogram per CPU of a per-CPU
 * map. A histogram's only label is its bucket label, whatever its name.
 */
export function hasPerCpuLabel(labels: readonly LabelConfig[]): boolean {
  return labels.length >= 2 && labels[labels.length - 1]?.name === 'cpu';
}

/** The index of a histogram's bucket label: the last, or the one before a trailing `cpu` label. */
export function bucketLabelIndex(labels: readonly LabelConfig[]): number {
  return labels.length - (hasPerCpuLabel(labels) ? 2 : 1);
}

/** Sum of label sizes and paddings that must come from the kernel key itself. */
export function labelBytesInKey(mapType: string, labels: readonly LabelConfig[], kind: MetricKind = 'counter'): number {
  const inKey = hasCpuLabel(mapType, labels, kind) ? labels.slice(0, -1) : labels;
  return inKey.reduce((total, label) => total + label.size + label.padding, 0);
}

/**
 * Whether the kernel key size fits the labels. Labels that take no key bytes (no labels at all, or only the
 * appended `cpu` label) read index 0 of a 4-byte array key instead.
 */
export function keySizeMatches(mapType: string, labels: readonly LabelConfig[], keySize: number, kind: MetricKind = 'counter'): boolean {
  const expected = labelBytesInKey(mapType, labels, kind);
  return expected === keySize || (expected === 0 && keySize === ZERO_KEY_SIZE);
}
