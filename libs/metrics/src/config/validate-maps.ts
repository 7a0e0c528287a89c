import { ConfigError } from './config-error';
import { COUNTER_VALUE_SIZE, isPerCpuMapType, keySizeMatches, labelBytesInKey, type MetricKind } from './key-layout';
import type { Config, LabelConfig, MapMetricConfig, SourcePosition, ValueField } from './types';

export interface MapInfo {
  name: string;
  /** libbpf's map type name, e.g. `hash`, `percpu_array`, `perf_event_array`. */
  type: string;
  keySize: number;
  valueSize: number;
}

interface MapUse {
  field: string;
  position: SourcePosition;
  map: string;
  labels: readonly LabelConfig[];
  kind: MetricKind;
  /** The value fields read (none: perf_event_array records and spans, whose keys are not labels either). */
  fields: readonly { field: string; value: ValueField; given: boolean }[];
  /** A histogram with one histogram per CPU, which needs a per-CPU map. */
  perCpu: boolean;
  /** Whether the map's keys are label bytes (not for perf_event_array records and spans). */
  checkKey: boolean;
}

function metricUse(path: string, metric: MapMetricConfig, kind: MetricKind): MapUse {
  return {
    field: `${path}.name`,
    position: metric.position,
    map: metric.map,
    labels: metric.labels,
    kind,
    fields: [{ field: `${path}.value`, value: metric.value, given: metric.valueGiven }],
    perCpu: false,
    checkKey: true,
  };
}

function usesOf(config: Config): MapUse[] {
  const { counters, gauges, histograms } = config.metrics;
  return [
    // perf_event_array records are truncated to the label size and counted, so no u64 values or keys.
    ...counters.map((counter, index) => {
      const use = metricUse(`metrics.counters[${index}]`, counter, 'counter');
      return counter.perfEventArray ? { ...use, fields: [], checkKey: false } : use;
    }),
    ...gauges.map((gauge, index) => metricUse(`metrics.gauges[${index}]`, gauge, 'counter')),
    ...histograms.map((histogram, index) => {
      const use = metricUse(`metrics.histograms[${index}]`, histogram, 'histogram');
      const sum = histogram.sum ? [{ field: `metrics.histograms[${index}].sum`, value: histogram.sum, given: true }] : [];
      return { ...use, fields: [...use.fields, ...sum], perCpu: histogram.perCpu };
    }),
    ...config.tracing.spans.map((span, index) => ({
      field: `tracing.spans[${index}].ringbuf`,
      position: span.position,
      map: span.ringbuf,
      labels: span.labels,
      kind: 'counter' as const,
      fields: [],
      perCpu: false,
      checkKey: false,
    })),
  ];
}

/** Why a map's values cannot hold `value`, or undefined. */
function valueProblem(map: MapInfo, { value, given }: { value: ValueField; given: boolean }): string | undefined {
  const where = `map ${JSON.stringify(map.name)} has ${map.valueSize}-byte values`;
  // Upstream reads a whole u64: without a `value` field the map must hold exactly that.
  if (!given) return map.valueSize === COUNTER_VALUE_SIZE ? undefined : `${where}, expected ${COUNTER_VALUE_SIZE} (u64); name the field to read with value: { offset, size }`;
  if (value.offset + value.size > map.valueSize) return `${where}, too few for ${value.size} bytes at offset ${value.offset}`;
  return undefined;
}

/**
 * Checks a parsed config against the maps of its loaded BPF object, the checks upstream makes at attach
 * or scrape time: every metric needs its map, values that hold the fields it reads and a key exactly as
 * large as its labels.
 */
export function validateConfigAgainstMaps(config: Config, maps: readonly MapInfo[]): ConfigError[] {
  const byName = new Map(maps.map((map) => [map.name, map]));
  const errors: ConfigError[] = [];
  const fail = (position: SourcePosition, field: string, problem: string): void => {
    errors.push(new ConfigError(config.file, position.line, position.column, field, problem));
  };

  for (const use of usesOf(config)) {
    const map = byName.get(use.map);
    if (!map) {
      fail(use.position, use.field, `no map named ${JSON.stringify(use.map)} in ${config.name}.bpf.o`);
      continue;
    }
    if (!use.checkKey) continue;
    for (const field of use.fields) {
      const problem = valueProblem(map, field);
      if (problem !== undefined) fail(use.position, field.given ? field.field : use.field, problem);
    }
    if (use.perCpu && !isPerCpuMapType(map.type)) {
      fail(use.position, use.field.replace(/\.name$/, '.labels'), `a last cpu label after the bucket label needs a per-CPU map; ${JSON.stringify(use.map)} is a ${map.type}`);
    }
    if (!keySizeMatches(map.type, use.labels, map.keySize, use.kind)) {
      fail(
        use.position,
        use.field.replace(/\.name$/, '.labels'),
        `labels take ${labelBytesInKey(map.type, use.labels, use.kind)} bytes (sizes plus paddings) but map ${JSON.stringify(use.map)} has ${map.keySize}-byte keys`,
      );
    }
  }

  const cgroupIdMap = config.cgroupIdMap;
  if (cgroupIdMap) {
    const map = byName.get(cgroupIdMap.name);
    const expectedKeySize = cgroupIdMap.type === 'hash' ? 8 : 4;
    if (!map) {
      fail(cgroupIdMap.position, 'cgroup_id_map.name', `no map named ${JSON.stringify(cgroupIdMap.name)} in ${config.name}.bpf.o`);
    } else if (map.keySize !== expectedKeySize || map.valueSize !== 8) {
      fail(
        cgroupIdMap.position,
        'cgroup_id_map.name',
        `a ${cgroupIdMap.type} cgroup id map needs ${expectedKeySize}-byte keys and 8-byte values, map ${JSON.stringify(cgroupIdMap.name)} has ${map.keySize} and ${map.valueSize}`,
      );
    }
  }
  return errors;
}
