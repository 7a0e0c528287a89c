// What `ebpf_exporter init` gets right for each shipped example: the scaffold of its .bpf.o next to its
// real YAML, metric by metric. `npx tsx examples/harness/scaffold-comparison.ts` prints the table that
// examples/scaffold-comparison.md holds (label-layouts.spec.ts checks that the file is current).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BpfObject } from '@ebpf-exporter/bpf-native';
import type { MapTypes } from '@ebpf-exporter/map-types';
import { parseConfig, scaffoldMetrics, type Config, type ScaffoldMetric } from '@ebpf-exporter/metrics';
import { allExampleNames, EXAMPLES_DIR } from './check';

export function exampleMapTypes(objectPath: string): MapTypes[] {
  const object = BpfObject.open(objectPath);
  try {
    return object.mapTypes();
  } finally {
    object.close();
  }
}

export function exampleConfig(name: string): Config {
  const file = join(EXAMPLES_DIR, `${name}.yaml`);
  return parseConfig(readFileSync(file, 'utf8'), file);
}

export interface MetricComparison {
  example: string;
  metric: string;
  /** The scaffold has a metric over the same map and value field. */
  found: boolean;
  kind: boolean;
  name: boolean;
  /** Label sizes and paddings in the key (an appended cpu label aside): what BTF decides. */
  layout: boolean;
  labelNames: string;
  decoders: string;
  /** Histograms: bucket_type, bucket_max and bucket_multiplier. */
  buckets?: boolean;
}

type RealMetric = Config['metrics']['counters'][number] & { kind: ScaffoldMetric['kind']; bucket?: string };

function realMetrics(config: Config): RealMetric[] {
  const { counters, gauges, histograms } = config.metrics;
  return [
    ...counters.filter((counter) => !counter.perfEventArray).map((counter) => ({ ...counter, kind: 'counter' as const })),
    ...gauges.map((gauge) => ({ ...gauge, kind: 'gauge' as const, perfEventArray: false, flushIntervalMs: 0 })),
    ...histograms.map((histogram) => ({
      ...histogram,
      kind: 'histogram' as const,
      perfEventArray: false,
      flushIntervalMs: 0,
      bucket: `${histogram.bucketType}/${histogram.bucketMax}/${histogram.bucketMultiplier}`,
    })),
  ];
}

const keyLabels = (labels: readonly { name: string }[], perCpu: boolean): number => (perCpu && labels.at(-1)?.name === 'cpu' ? labels.length - 1 : labels.length);
const ratio = (matches: number, total: number): string => `${matches}/${total}`;

export function compareExample(example: string, maps: readonly MapTypes[]): MetricComparison[] {
  const scaffold = scaffoldMetrics(maps);
  const byMap = new Map(maps.map((map) => [map.name, map]));
  return realMetrics(exampleConfig(example)).map((real) => {
    const guess = scaffold.metrics.find((metric) => metric.map === real.map && (metric.value?.offset ?? 0) === real.value.offset);
    const row: MetricComparison = { example, metric: real.name, found: guess !== undefined, kind: false, name: false, layout: false, labelNames: '-', decoders: '-' };
    if (!guess) return row;
    const perCpu = ['percpu_hash', 'percpu_array', 'lru_percpu_hash'].includes(byMap.get(real.map)?.type ?? '');
    const inKey = real.labels.slice(0, keyLabels(real.labels, perCpu));
    const layout = (labels: readonly { size: number; padding: number }[]): string => labels.map((label) => `${label.size}+${label.padding}`).join(',');
    const pairs = inKey.map((label, index) => [label, guess.labels[index]] as const);
    const decoderNames = (decoders: readonly { name: string }[] | undefined): string => (decoders ?? []).map((decoder) => decoder.name).join(',');
    return {
      ...row,
      kind: guess.kind === real.kind,
      name: guess.name === real.name,
      layout: layout(inKey) === layout(guess.labels),
      labelNames: ratio(pairs.filter(([label, guessed]) => label.name === guessed?.name).length, inKey.length),
      decoders: ratio(pairs.filter(([label, guessed]) => decoderNames(label.decoders) === decoderNames(guessed?.decoders)).length, inKey.length),
      ...(real.bucket ? { buckets: real.bucket === `exp2/${guess.bucketMax}/${guess.bucketMultiplier ?? 1}` } : {}),
    };
  });
}

const mark = (value: boolean | undefined): string => (value === undefined ? '' : value ? 'yes' : 'no');

export function comparisonTable(rows: readonly MetricComparison[]): string {
  const lines = [
    '| example | metric | found | kind | name | sizes+paddings | label names | decoders | buckets |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row) =>
      `| ${row.example} | ${row.metric} | ${mark(row.found)} | ${row.found ? mark(row.kind) : ''} | ${row.found ? mark(row.name) : ''} | ${row.found ? mark(row.layout) : ''} | ${row.labelNames} | ${row.decoders} | ${mark(row.buckets)} |`,
    ),
  ];
  const found = rows.filter((row) => row.found);
  const count = (pick: (row: MetricComparison) => boolean): string => `${found.filter(pick).length}/${found.length}`;
  const sum = (field: 'labelNames' | 'decoders'): string => {
    let matches = 0;
    let total = 0;
    for (const row of found) {
      const [matched = 0, of = 0] = row[field].split('/').map(Number);
      matches += matched;
      total += of;
    }
    return `${matches}/${total}`;
  };
  const histograms = found.filter((row) => row.buckets !== undefined);
  lines.push(
    '',
    `Found ${found.length} of ${rows.length} metrics; of those, kind ${count((row) => row.kind)}, name ${count((row) => row.name)}, sizes+paddings ${count((row) => row.layout)}, ` +
      `label names ${sum('labelNames')}, decoders ${sum('decoders')}, histogram buckets ${histograms.filter((row) => row.buckets).length}/${histograms.length}.`,
  );
  return `${lines.join('\n')}\n`;
}

/** The comparison over every shipped example's host-architecture object. */
export function allComparisons(): MetricComparison[] {
  return allExampleNames().flatMap((example) => compareExample(example, exampleMapTypes(join(EXAMPLES_DIR, `${example}.bpf.o`))));
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(comparisonTable(allComparisons()));
