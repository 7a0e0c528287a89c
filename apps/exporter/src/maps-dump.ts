// The --debug `/maps` page: every configured metric's map, raw, in the markdown-ish layout upstream uses
// (`## Config`, `### Map`, one fenced row per key). Keys are printed as Go prints a byte slice, values as
// u64 (summed over CPUs for per-CPU maps), so dumps can be compared with upstream's side by side.
import type { MapDump, MapSource } from '@ebpf-exporter/metrics';
import type { AttachedConfig } from './bpf-runtime';

function u64At(values: Uint8Array, offset: number): bigint {
  return new DataView(values.buffer, values.byteOffset + offset, 8).getBigUint64(0, true);
}

export function formatMapRows(dump: MapDump): string[] {
  const rows: string[] = [];
  for (let i = 0; i < dump.count; i++) {
    const key = dump.keys.subarray(i * dump.keySize, (i + 1) * dump.keySize);
    let total = 0n;
    if (dump.valueSize >= 8) {
      for (let cpu = 0; cpu < dump.valuesPerKey; cpu++) total += u64At(dump.values, (i * dump.valuesPerKey + cpu) * dump.valueStride);
    }
    rows.push(`[${Array.from(key).join(' ')}] -> ${total}`);
  }
  return rows.sort();
}

export async function dumpMaps(attached: readonly AttachedConfig[], source: MapSource): Promise<string> {
  const sections: string[] = [];
  for (const { config } of attached) {
    sections.push(`## Config: ${config.name}\n`);
    // Several metrics may read one map (a struct value): each map once.
    const mapNames = new Set([...config.metrics.counters, ...config.metrics.gauges, ...config.metrics.histograms].map((m) => m.map));
    for (const name of mapNames) {
      sections.push(`### Map: ${name}\n`, '```', ...formatMapRows(await source.readMap(config.name, name)), '```\n');
    }
  }
  return `${sections.join('\n')}\n`;
}
