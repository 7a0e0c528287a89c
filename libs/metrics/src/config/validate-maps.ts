import { ConfigError } from './config-error';
import { COUNTER_VALUE_SIZE, keySizeMatches, labelBytesInKey } from './key-layout';
import type { Config, LabelConfig, SourcePosition } from './types';

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
  checkValueAndKey: boolean;
}

function usesOf(config: Config): MapUse[] {
  return [
    ...config.metrics.counters.map((counter, index) => ({
      field: `metrics.counters[${index}].name`,
      position: counter.position,
      map: counter.name,
      labels: counter.labels,
      // perf_event_array records are truncated to the label size and counted, so no u64 values or keys.
      checkValueAndKey: !counter.perfEventArray,
    })),
    ...config.metrics.histograms.map((histogram, index) => ({
      field: `metrics.histograms[${index}].name`,
      position: histogram.position,
      map: histogram.name,
      labels: histogram.labels,
      checkValueAndKey: true,
    })),
    ...config.tracing.spans.map((span, index) => ({
      field: `tracing.spans[${index}].ringbuf`,
      position: span.position,
      map: span.ringbuf,
      labels: span.labels,
      checkValueAndKey: false,
    })),
  ];
}

/**
 * Checks a parsed config against the maps of its loaded BPF object, the checks upstream makes at attach
 * or scrape time: every metric needs its map, u64 values and a key exactly as large as its labels.
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
    if (!use.checkValueAndKey) continue;
    if (map.valueSize !== COUNTER_VALUE_SIZE) {
      fail(use.position, use.field, `map ${JSON.stringify(use.map)} has ${map.valueSize}-byte values, expected ${COUNTER_VALUE_SIZE} (u64)`);
    }
    if (!keySizeMatches(map.type, use.labels, map.keySize)) {
      fail(
        use.position,
        use.field.replace(/\.name$/, '.labels'),
        `labels take ${labelBytesInKey(map.type, use.labels)} bytes (sizes plus paddings) but map ${JSON.stringify(use.map)} has ${map.keySize}-byte keys`,
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
