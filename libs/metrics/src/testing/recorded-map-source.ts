import type { MapDump, MapSource, ReadMapOptions } from '../model';

/**
 * One map as stored in a fixture file. Keys and values are hex strings as the kernel returned them (host
 * byte order of the recording machine, little-endian on x86_64 and arm64).
 */
export interface RecordedMap {
  type: string;
  keySize: number;
  valueSize: number;
  /** Number of possible CPUs for per-CPU maps; default 1. */
  valuesPerKey?: number;
  /** Default: valueSize rounded up to 8 bytes for per-CPU maps, valueSize otherwise. */
  valueStride?: number;
  /** `[key hex, value hex]`; the value holds valuesPerKey slots of valueStride bytes. */
  entries: [string, string][];
}

/** Fixture file contents: config name -> map name -> map. */
export type RecordedMaps = Record<string, Record<string, RecordedMap>>;

function fromHex(hex: string, expectedBytes: number, what: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length !== expectedBytes * 2 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new Error(`${what}: expected ${expectedBytes} bytes of hex, got ${JSON.stringify(hex)}`);
  }
  const bytes = new Uint8Array(expectedBytes);
  for (let i = 0; i < expectedBytes; i++) bytes[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Rebuilds the packed MapDump the native addon would return for a recorded map. */
export function mapDumpFromRecording(name: string, recorded: RecordedMap): MapDump {
  const valuesPerKey = recorded.valuesPerKey ?? 1;
  const valueStride = recorded.valueStride ?? (valuesPerKey > 1 ? Math.ceil(recorded.valueSize / 8) * 8 : recorded.valueSize);
  const count = recorded.entries.length;
  const keys = new Uint8Array(count * recorded.keySize);
  const values = new Uint8Array(count * valuesPerKey * valueStride);
  recorded.entries.forEach(([key, value], index) => {
    keys.set(fromHex(key, recorded.keySize, `${name} entry ${index} key`), index * recorded.keySize);
    values.set(fromHex(value, valuesPerKey * valueStride, `${name} entry ${index} value`), index * valuesPerKey * valueStride);
  });
  return { name, type: recorded.type, keySize: recorded.keySize, valueSize: recorded.valueSize, valuesPerKey, valueStride, count, keys, values };
}

/** The fixture form of a dump read from the kernel, to record new fixtures. */
export function recordMapDump(dump: MapDump): RecordedMap {
  const valueBytes = dump.valuesPerKey * dump.valueStride;
  const entries: [string, string][] = [];
  for (let i = 0; i < dump.count; i++) {
    entries.push([
      toHex(dump.keys.subarray(i * dump.keySize, (i + 1) * dump.keySize)),
      toHex(dump.values.subarray(i * valueBytes, (i + 1) * valueBytes)),
    ]);
  }
  return { type: dump.type, keySize: dump.keySize, valueSize: dump.valueSize, valuesPerKey: dump.valuesPerKey, valueStride: dump.valueStride, entries };
}

/**
 * A MapSource over recorded map dumps, standing in for the kernel in golden tests (a test double: the maps
 * of a past run cannot be re-read from a live kernel). Unknown maps reject, like a missing kernel map.
 */
export class RecordedMapSource implements MapSource {
  constructor(private readonly maps: RecordedMaps) {}

  async readMap(config: string, map: string, options: ReadMapOptions = {}): Promise<MapDump> {
    const recorded = this.maps[config]?.[map];
    if (!recorded) throw new Error(`no recorded map ${JSON.stringify(map)} for config ${JSON.stringify(config)}`);
    const { maxEntries } = options;
    // As the kernel read does: at most maxEntries, and `truncated` when the map holds more.
    if (maxEntries === undefined || recorded.entries.length <= maxEntries) return mapDumpFromRecording(map, recorded);
    return { ...mapDumpFromRecording(map, { ...recorded, entries: recorded.entries.slice(0, maxEntries) }), truncated: true };
  }
}
