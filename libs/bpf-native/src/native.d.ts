// The shape of bpf_native.node as the C++ side registers it (native/addon.cc, native/bpf_object.cc).
// Only the TypeScript facade calls this; it validates arguments first.
import type { MapDump } from '@ebpf-exporter/map-types';
import type { IntegerLineWriter, MapTypes } from '@ebpf-exporter/map-types';

export type LogLevel = 'warn' | 'info' | 'debug';

export interface NativeErrorDetails {
  code: string;
  errno: number;
  object?: string;
  program?: string;
  map?: string;
}

export interface NativeProgramInfo {
  name: string;
  section: string;
  id: number;
  tag: string;
  attached: boolean;
  error?: { code: string; errno: number; message: string };
  runTimeNs: bigint;
  runCount: bigint;
}

export interface NativeMapInfo {
  name: string;
  type: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  valuesPerKey: number;
  valueStride: number;
}

export type NativeMapDump = MapDump & { method: 'batch' | 'iterate' };

export interface NativeBpfObject {
  name(): string;
  setGlobalU64(name: string, value: bigint): void;
  load(): Promise<void>;
  attachAll(): NativeProgramInfo[];
  programs(): NativeProgramInfo[];
  maps(): NativeMapInfo[];
  mapInfo(map: string): NativeMapInfo;
  mapTypes(): MapTypes[];
  /**
   * `iterate` forces get_next_key + lookup instead of trying batches first; `batchSize` caps the entries
   * per bpf_map_lookup_batch call (0 = as many as the read buffer holds).
   */
  mapRead(map: string, iterate: boolean, batchSize: number, maxEntries: number): Promise<NativeMapDump>;
  mapLookup(map: string, key: Uint8Array): Uint8Array | undefined;
  /** `flags` is BPF_ANY (0), BPF_NOEXIST (1) or BPF_EXIST (2). */
  mapUpdate(map: string, key: Uint8Array, value: Uint8Array, flags: number): void;
  mapDelete(map: string, key: Uint8Array): boolean;
  /** Returns an id for closeEventBuffer. */
  openPerfBuffer(map: string, pageCount: number, onRecord: (record: Uint8Array) => void, onLost: (count: number) => void): number;
  openRingBuffer(map: string, onRecord: (record: Uint8Array) => void, onLost: (count: number) => void): number;
  closeEventBuffer(id: number): void;
  close(): void;
}

export interface NativeCgroupEvent {
  kind: 'create' | 'delete' | 'overflow';
  mount: number;
  parentId: bigint;
  name: string;
}

export interface NativeCgroupWatch {
  close(): void;
}

export interface NativeAddon {
  NativeBpfObject: new (path: string, btfPath?: string) => NativeBpfObject;
  /** The class native errors are constructed with: `new ErrorClass(message, details)`. */
  setErrorClass(errorClass: new (message: string, details: NativeErrorDetails) => Error): void;
  setLogHandler(handler: ((level: LogLevel, message: string) => void) | null): void;
  /** libbpf_version_string(), e.g. `v1.1`. */
  libbpfVersion(): string;
  libbpfMajorVersion(): number;
  postAttachMark(): void;
  /** Returns how many threads were changed. */
  dropCapabilities(keep: bigint): number;
  sdNotify(socketPath: string, message: string): void;
  CgroupWatch: new (mountPaths: string[], onEvents: (events: NativeCgroupEvent[]) => void) => NativeCgroupWatch;
  writeIntegerLines: IntegerLineWriter;
  /** malloc_trim(0): whether any memory was given back. */
  releaseFreeMemory(): boolean;
}
