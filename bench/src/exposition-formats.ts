// What the protobuf exposition (native histograms' format, #16) costs against the text one, in one run on
// the same families: the 100k-series counter fixture read from its real BPF map (as phase-breakdown.ts
// does), and 1,000 histogram label sets (the fixture's exp2 histogram, 29 slots each) built as a map dump,
// once with the fixture's 1e-6 multiplier (classic buckets only in protobuf) and once with 2^-20 (schema-0
// native buckets beside the classic ones). Bytes raw and gzipped at the server's level 1; median ms of the
// formatting alone. `npx tsx bench/src/exposition-formats.ts` prints the table BENCHMARKS.md shows.
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { BpfObject, integerLineWriter } from '@ebpf-exporter/bpf-native';
import {
  ConfigCollector,
  createDecoderRegistry,
  expositionChunks,
  expositionPool,
  parseConfig,
  protobufChunks,
  type MapDump,
  type MetricFamily,
} from '@ebpf-exporter/metrics';
import { hostlessEnvironment } from '@ebpf-exporter/metrics/testing';
import { COUNTER_CONFIG, HISTOGRAM_CONFIG, HISTOGRAM_SLOTS } from './fixture-series';
import { fillCounterMap } from './native-tools';
import { BENCH_BUILD } from './paths';
import { median } from './stats';

const WARM_UP_ROUNDS = 3;
const ROUNDS = 20;
const HISTOGRAM_LABEL_SETS = 1_000;

export interface FormatCost {
  families: string;
  format: 'text' | 'protobuf';
  bytes: number;
  gzipBytes: number;
  medianMs: number;
}

async function collect(config: string, dump: MapDump): Promise<MetricFamily[]> {
  const collector = new ConfigCollector(parseConfig(config, 'bench_formats.yaml'), createDecoderRegistry(hostlessEnvironment()));
  // Twice, as the exporter's first scrapes: the second one serves from the label cache in series order.
  await collector.collect({ readMap: async () => dump });
  const { families, errors } = await collector.collect({ readMap: async () => dump });
  if (errors.length > 0) throw new Error(`collect failed: ${errors[0]?.error.message}`);
  return families;
}

async function counterFamilies(): Promise<MetricFamily[]> {
  const object = BpfObject.open(join(BENCH_BUILD, 'scrape-fixture-100k.bpf.o'));
  try {
    await object.load();
    await fillCounterMap(process.pid, 'ops_total', 100_000);
    return await collect(COUNTER_CONFIG, await object.map('ops_total').read());
  } finally {
    object.close();
  }
}

/** The histogram fixture's keys {u64 shard, u64 bucket}: bucket b of shard s holds s + b observations, the sum slot 1000. */
function histogramDump(): MapDump {
  const count = HISTOGRAM_LABEL_SETS * HISTOGRAM_SLOTS;
  const keys = new BigUint64Array(count * 2);
  const values = new BigUint64Array(count);
  for (let shard = 0; shard < HISTOGRAM_LABEL_SETS; shard++) {
    for (let slot = 0; slot < HISTOGRAM_SLOTS; slot++) {
      const entry = shard * HISTOGRAM_SLOTS + slot;
      keys[entry * 2] = BigInt(shard);
      keys[entry * 2 + 1] = BigInt(slot);
      values[entry] = BigInt(slot === HISTOGRAM_SLOTS - 1 ? 1000 : shard + slot);
    }
  }
  const bytes = (array: BigUint64Array): Uint8Array => new Uint8Array(array.buffer);
  return { name: 'op_latency_seconds', type: 'hash', keySize: 16, valueSize: 8, valuesPerKey: 1, valueStride: 8, count, keys: bytes(keys), values: bytes(values) };
}

function measure(label: string, format: FormatCost['format'], encode: () => Iterable<Uint8Array>): FormatCost {
  const times: number[] = [];
  let body = new Uint8Array(0);
  for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
    const parts: Uint8Array[] = [];
    const started = performance.now();
    for (const chunk of encode()) parts.push(chunk);
    const elapsed = performance.now() - started;
    if (round >= WARM_UP_ROUNDS) times.push(elapsed);
    body = Buffer.concat(parts);
    if (format === 'text') for (const chunk of parts) expositionPool.give(chunk);
  }
  return { families: label, format, bytes: body.length, gzipBytes: gzipSync(body, { level: 1 }).length, medianMs: median(times) };
}

export async function measureExpositionFormats(): Promise<FormatCost[]> {
  const integerLines = integerLineWriter();
  const cases: [string, MetricFamily[]][] = [
    ['counter 100k', await counterFamilies()],
    ['histogram 1000x29, multiplier 1e-6 (classic only)', await collect(HISTOGRAM_CONFIG, histogramDump())],
    ['histogram 1000x29, multiplier 2^-20 (native + classic)', await collect(HISTOGRAM_CONFIG.replace('0.000001', '0.00000095367431640625'), histogramDump())],
  ];
  const costs: FormatCost[] = [];
  for (const [label, families] of cases) {
    costs.push(measure(label, 'text', () => expositionChunks(families, 'text', { integerLines })));
    costs.push(measure(label, 'protobuf', () => protobufChunks(families)));
  }
  const [, nativeFamilies] = cases[2] as [string, MetricFamily[]];
  costs.push(measure('histogram 1000x29, multiplier 2^-20, --no-histograms.classic (native only)', 'protobuf', () => protobufChunks(nativeFamilies, { classic: false })));
  return costs;
}

export function renderFormatTable(costs: readonly FormatCost[]): string {
  const rows = costs.map((cost) => `| ${cost.families} | ${cost.format} | ${(cost.bytes / 1024).toFixed(1)} | ${(cost.gzipBytes / 1024).toFixed(1)} | ${cost.medianMs.toFixed(2)} |`);
  return [`| families | format | KiB | gzip KiB | format median ms (${ROUNDS} rounds after ${WARM_UP_ROUNDS} warm-up) |`, '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  measureExpositionFormats().then(
    (costs) => process.stdout.write(`${renderFormatTable(costs)}\n`),
    (error: unknown) => {
      process.stderr.write(`exposition-formats: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
