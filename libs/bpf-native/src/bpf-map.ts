import type { MapDump } from '@ebpf-exporter/map-types';
import { invalidArgument } from './bpf-error.js';
import type { NativeBpfObject, NativeMapInfo } from './native.js';

/** What libbpf and the kernel say about one map. */
export interface MapInfo {
  name: string;
  /** libbpf_bpf_map_type_str(), e.g. `hash`, `percpu_array`. */
  type: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  /** Possible CPUs for per-CPU maps (one value slot each), else 1. */
  valuesPerKey: number;
  /** Bytes per value slot: per-CPU slots are rounded up to 8 bytes by the kernel, others equal valueSize. */
  valueStride: number;
}

export type UpdateFlag = 'any' | 'noexist' | 'exist';

export interface ReadOptions {
  /**
   * `auto` (default) reads with bpf_map_lookup_batch and falls back to one get_next_key + lookup per entry
   * where the kernel or the map type refuses batches; `iterate` always does the latter (for comparisons).
   */
  method?: 'auto' | 'iterate';
  /**
   * Entries asked for per bpf_map_lookup_batch call. By default as many as the read buffer holds (it starts
   * at ~4 MiB and doubles), which means one syscall for most maps; smaller values only add syscalls.
   */
  batchSize?: number;
  /**
   * Most entries to read (0 or absent: the whole map). A read that stops there says so in `truncated`: a
   * caller that refuses maps over a size reads no more than one entry past it.
   */
  maxEntries?: number;
}

// BPF_ANY, BPF_NOEXIST, BPF_EXIST from <linux/bpf.h>.
const UPDATE_FLAGS: Record<UpdateFlag, number> = { any: 0, noexist: 1, exist: 2 };

/** One map of a loaded {@link BpfObject}; obtained with `object.map(name)`. */
export class BpfMap {
  readonly info: MapInfo;

  /** @internal use {@link BpfObject.map} */
  constructor(
    private readonly native: NativeBpfObject,
    private readonly objectName: string,
    info: NativeMapInfo,
  ) {
    this.info = info;
  }

  /** Bytes one value takes in lookup/update buffers: per-CPU maps hold one 8-byte-aligned slot per possible CPU. */
  get valueBytes(): number {
    return this.info.valuesPerKey * this.info.valueStride;
  }

  /**
   * The whole map, read off the JS thread so a large map never blocks the event loop. Keys and values come
   * back packed (see {@link MapDump}); `method` says whether batch lookups were used.
   */
  read(options: ReadOptions = {}): Promise<MapDump & { method: 'batch' | 'iterate' }> {
    const method = options.method ?? 'auto';
    if (method !== 'auto' && method !== 'iterate') {
      throw invalidArgument(`read method must be 'auto' or 'iterate', got '${String(method)}'`, this.subject());
    }
    const batchSize = options.batchSize ?? 0;
    if (!Number.isInteger(batchSize) || batchSize < 0 || batchSize > 0xffff_ffff) {
      throw invalidArgument(`read batchSize must be a positive 32-bit integer, got ${String(batchSize)}`, this.subject());
    }
    const maxEntries = options.maxEntries ?? 0;
    if (!Number.isInteger(maxEntries) || maxEntries < 0 || maxEntries > 0xffff_ffff) {
      throw invalidArgument(`read maxEntries must be a positive 32-bit integer, got ${String(maxEntries)}`, this.subject());
    }
    return this.native.mapRead(this.info.name, method === 'iterate', batchSize, maxEntries);
  }

  /** The value stored under `key`, or undefined when there is none. */
  lookup(key: Uint8Array): Uint8Array | undefined {
    this.checkKey(key);
    return this.native.mapLookup(this.info.name, key);
  }

  /** Stores `value` under `key`; `noexist`/`exist` make the kernel refuse (EEXIST/ENOENT) otherwise. */
  update(key: Uint8Array, value: Uint8Array, flags: UpdateFlag = 'any'): void {
    this.checkKey(key);
    if (!(value instanceof Uint8Array) || value.byteLength !== this.valueBytes) {
      throw invalidArgument(
        `map '${this.info.name}': value must be a Uint8Array of ${this.valueBytes} bytes, got ${describeBytes(value)}`,
        this.subject(),
      );
    }
    const flagValue = UPDATE_FLAGS[flags];
    if (flagValue === undefined) {
      throw invalidArgument(`map '${this.info.name}': update flag must be any, noexist or exist, got '${String(flags)}'`, this.subject());
    }
    this.native.mapUpdate(this.info.name, key, value, flagValue);
  }

  /** Removes `key`; false when it was not there. */
  delete(key: Uint8Array): boolean {
    this.checkKey(key);
    return this.native.mapDelete(this.info.name, key);
  }

  private checkKey(key: Uint8Array): void {
    if (!(key instanceof Uint8Array) || key.byteLength !== this.info.keySize) {
      throw invalidArgument(
        `map '${this.info.name}': key must be a Uint8Array of ${this.info.keySize} bytes, got ${describeBytes(key)}`,
        this.subject(),
      );
    }
  }

  private subject(): { object: string; map: string } {
    return { object: this.objectName, map: this.info.name };
  }
}

function describeBytes(value: unknown): string {
  return value instanceof Uint8Array ? `${value.byteLength} bytes` : typeof value;
}
