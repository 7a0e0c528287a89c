import { BpfMap, type MapInfo } from './bpf-map.js';
import { invalidArgument } from './bpf-error.js';
import { nativeAddon } from './loader.js';
import type { MapTypes } from '@ebpf-exporter/map-types';
import type { NativeBpfObject } from './native.js';

/** One program of an object, with kernel statistics fresh at the time of the call. */
export interface ProgramInfo {
  name: string;
  /** The SEC() name, which decides how attachAll() attaches it. */
  section: string;
  /** Kernel program id (0 before load). */
  id: number;
  /** Kernel program tag, hex (empty before load). */
  tag: string;
  attached: boolean;
  /** Why the last attach attempt failed; libbpf's own reason where it gave one. */
  error?: { code: string; errno: number; message: string };
  /** Only counted while `kernel.bpf_stats_enabled` is 1. */
  runTimeNs: bigint;
  runCount: bigint;
}

export interface OpenOptions {
  /** External BTF (e.g. from btfhub) for kernels without /sys/kernel/btf/vmlinux. */
  btfPath?: string;
}

/** A perf or ring buffer being polled; also closed by {@link BpfObject.close}. */
export interface EventBuffer {
  close(): void;
}

const U64_MAX = (1n << 64n) - 1n;
const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DEFAULT_PERF_BUFFER_PAGES = 1024;

/**
 * A BPF ELF object (libbpf `bpf_object`): open, set read-only globals, load, attach, read maps, close.
 * Every link and buffer it created is released by close(), or by the garbage collector if close() is never
 * called.
 */
export class BpfObject {
  readonly path: string;
  readonly name: string;

  private constructor(
    private readonly native: NativeBpfObject,
    path: string,
  ) {
    this.path = path;
    this.name = native.name();
  }

  /** Parses the ELF file (bpf_object__open_file); nothing reaches the kernel until {@link load}. */
  static open(path: string, options: OpenOptions = {}): BpfObject {
    if (typeof path !== 'string' || path === '') throw new TypeError('BpfObject.open: path must be a non-empty string');
    const { btfPath } = options;
    if (btfPath !== undefined && (typeof btfPath !== 'string' || btfPath === '')) {
      throw invalidArgument(`${path}: btfPath must be a non-empty string`, { object: path });
    }
    const { addon } = nativeAddon();
    return new BpfObject(new addon.NativeBpfObject(path, btfPath), path);
  }

  /**
   * Writes a `const volatile u64` global (in `.rodata`) before load, e.g. the `kaddr_<symbol>` addresses.
   * Fails with ENOENT when the object has no such variable, EINVAL when it is not 8 bytes.
   */
  setGlobalU64(name: string, value: bigint): void {
    if (typeof name !== 'string' || !C_IDENTIFIER.test(name)) {
      throw invalidArgument(`${this.name}: global variable name '${String(name)}' is not a C identifier`, { object: this.name });
    }
    if (typeof value !== 'bigint' || value < 0n || value > U64_MAX) {
      throw invalidArgument(`${this.name}: value for '${name}' must be a bigint in 0..2^64-1`, { object: this.name });
    }
    this.native.setGlobalU64(name, value);
  }

  /**
   * Creates the maps and loads every program into the kernel; the verifier runs off the JS thread. A
   * rejection names the program and carries the verifier's verdict; the whole log goes to the log handler.
   */
  async load(): Promise<void> {
    await this.native.load();
  }

  /**
   * Attaches every program by its SEC() name (plus `perf_event/type=..,config=..,frequency=..` on every
   * online CPU, `xdp/<ifname>` and `uprobe//proc/self/exe:post_attach_mark` on this addon). A program that fails is reported with `attached: false` and `error`;
   * the others are still attached. Already attached programs are left alone.
   */
  attachAll(): ProgramInfo[] {
    return this.native.attachAll();
  }

  programs(): ProgramInfo[] {
    return this.native.programs();
  }

  maps(): MapInfo[] {
    return this.native.maps();
  }

  /**
   * Every map with its key and value types from the object's BTF (absent without BTF, or for a map that
   * declares only sizes). Works right after open: nothing reaches the kernel.
   */
  mapTypes(): MapTypes[] {
    return this.native.mapTypes();
  }

  /** The map of that name; a BpfError with code ENOENT when there is none. */
  map(name: string): BpfMap {
    if (typeof name !== 'string' || name === '') throw invalidArgument(`${this.name}: map name must be a non-empty string`, { object: this.name });
    return new BpfMap(this.native, this.name, this.native.mapInfo(name));
  }

  /** Delivers every record of a perf_event_array map; `onLost` gets counts of dropped records. */
  openPerfBuffer(mapName: string, onRecord: (record: Uint8Array) => void, onLost: (count: number) => void, options: { pageCount?: number } = {}): EventBuffer {
    const pageCount = options.pageCount ?? DEFAULT_PERF_BUFFER_PAGES;
    if (!Number.isInteger(pageCount) || pageCount <= 0 || (pageCount & (pageCount - 1)) !== 0) {
      throw invalidArgument(`${this.name}: perf buffer pageCount must be a power of two, got ${pageCount}`, { object: this.name, map: mapName });
    }
    checkCallback(onRecord, 'onRecord');
    checkCallback(onLost, 'onLost');
    return this.eventBuffer(this.native.openPerfBuffer(mapName, pageCount, onRecord, onLost));
  }

  /** Delivers every record of a ringbuf map; `onLost` (optional) counts records dropped because JS fell behind. */
  openRingBuffer(mapName: string, onRecord: (record: Uint8Array) => void, onLost: (count: number) => void = () => {}): EventBuffer {
    checkCallback(onRecord, 'onRecord');
    checkCallback(onLost, 'onLost');
    return this.eventBuffer(this.native.openRingBuffer(mapName, onRecord, onLost));
  }

  /** Destroys every link and buffer and closes the object. Safe to call more than once. */
  close(): void {
    this.native.close();
  }

  private eventBuffer(id: number): EventBuffer {
    return { close: () => this.native.closeEventBuffer(id) };
  }
}

function checkCallback(fn: unknown, name: string): void {
  if (typeof fn !== 'function') throw new TypeError(`${name} must be a function`);
}
