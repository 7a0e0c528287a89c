// Measures the scrape hot path (CPU time): decode + aggregate + format for large counter maps.
// Usage: npx tsx libs/metrics/scripts/bench-collect.ts [entries...]   (default: 100000 1000000)

import { ConfigCollector, createDecoderRegistry, formatText, parseConfig, type MapDump, type MapSource } from '../src/index';
import { hostlessEnvironment } from '../src/testing/index';

const CONFIG = parseConfig(
  `metrics:
  counters:
    - name: syscalls_total
      help: Syscalls by process id and syscall
      labels:
        - { name: pid, size: 4, decoders: [{ name: uint }] }
        - { name: syscall, size: 4, decoders: [{ name: uint }, { name: syscall }] }
`,
  'bench.yaml',
);

function dump(entries: number): MapDump {
  const keys = new Uint8Array(entries * 8);
  const values = new Uint8Array(entries * 8);
  const keyView = new DataView(keys.buffer);
  const valueView = new DataView(values.buffer);
  for (let i = 0; i < entries; i++) {
    keyView.setUint32(i * 8, 1000 + Math.floor(i / 300), true);
    keyView.setUint32(i * 8 + 4, i % 300, true);
    valueView.setUint32(i * 8, i * 7, true);
  }
  return { name: 'syscalls_total', type: 'hash', keySize: 8, valueSize: 8, valuesPerKey: 1, valueStride: 8, count: entries, keys, values };
}

const sizes = process.argv.slice(2).map(Number);
for (const entries of sizes.length > 0 ? sizes : [100_000, 1_000_000]) {
  const map = dump(entries);
  const source: MapSource = { readMap: async () => map };
  const collector = new ConfigCollector(CONFIG, createDecoderRegistry(hostlessEnvironment()));
  const timings: string[] = [];
  // CPU time rather than wall time: the machine is shared, and other processes stretch wall time.
  const cpuMs = (since: NodeJS.CpuUsage): number => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  for (const label of ['cold', 'warm', 'warm']) {
    const start = process.cpuUsage();
    const { families } = await collector.collect(source);
    const collectMs = cpuMs(start);
    const formatStart = process.cpuUsage();
    const text = formatText(families);
    const formatMs = cpuMs(formatStart);
    timings.push(`${label}: collect ${collectMs.toFixed(0)} ms, format ${formatMs.toFixed(0)} ms (${(text.length / 1e6).toFixed(1)} MB)`);
  }
  const heapMb = (process.memoryUsage().heapUsed / 1e6).toFixed(0);
  console.log(`${entries} entries: ${timings.join('; ')}; heap ${heapMb} MB`);
}
