// The config keys of the metric shapes beyond upstream's (issue #15): gauges, `map`, `value`, `sum` and the
// per-CPU histogram's trailing cpu label, parsed and checked against the loaded maps.
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { parseConfig } from './parse-config';
import { DEFAULT_VALUE_FIELD } from './types';
import { validateConfigAgainstMaps, type MapInfo } from './validate-maps';

const LABEL = '[{ name: dev, size: 4, decoders: [{ name: uint }] }]';

function refusal(yaml: string): string {
  try {
    parseConfig(yaml, 'shapes.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('metric shape keys', () => {
  it('reads gauges, and defaults map to the metric name and value to a whole u64, as upstream', () => {
    const config = parseConfig(
      `metrics:
  counters:
    - { name: plain_total, help: Plain, labels: ${LABEL} }
  gauges:
    - { name: level, help: Level, map: levels, value: { offset: 4, size: 4, signed: true }, labels: ${LABEL} }
`,
      'shapes.yaml',
    );
    const [counter] = config.metrics.counters;
    expect([counter?.map, counter?.value, counter?.valueGiven]).toEqual(['plain_total', DEFAULT_VALUE_FIELD, false]);
    const [gauge] = config.metrics.gauges;
    expect([gauge?.name, gauge?.map, gauge?.value, gauge?.valueGiven]).toEqual(['level', 'levels', { offset: 4, size: 4, signed: true }, true]);
  });

  it('refuses fields that cannot be read, and signed values outside gauges', () => {
    const counter = (value: string) => `metrics:\n  counters:\n    - { name: c_total, help: C, value: ${value}, labels: ${LABEL} }\n`;
    expect(refusal(counter('{ size: 3 }'))).toBe('shapes.yaml:3:48: metrics.counters[0].value.size: must be 1, 2, 4 or 8 (bytes)');
    expect(refusal(counter('{ offset: -8 }'))).toMatch(/metrics\.counters\[0\]\.value\.offset: must not be negative$/);
    expect(refusal(counter('{ signed: true }'))).toMatch(/metrics\.counters\[0\]\.value\.signed: only a gauge may read a signed value/);
    expect(refusal(counter('8'))).toMatch(/metrics\.counters\[0\]\.value: /);
  });

  it('takes a trailing cpu label of a histogram as the CPU, and its only label as the bucket whatever its name', () => {
    const histogram = (labels: string) =>
      parseConfig(`metrics:\n  histograms:\n    - { name: h, help: H, bucket_type: exp2, bucket_max: 3, labels: ${labels} }\n`, 'shapes.yaml').metrics.histograms[0];
    const bucket = '{ name: bucket, size: 4, decoders: [{ name: uint }] }';
    const cpu = '{ name: cpu, size: 2, decoders: [{ name: uint }] }';
    expect(histogram(`[${bucket}, ${cpu}]`)?.perCpu).toBe(true);
    expect(histogram(`[${cpu}]`)?.perCpu).toBe(false);
    expect(histogram(`[${cpu}, ${bucket}]`)?.perCpu).toBe(false);
  });
});

describe('metric shapes against the loaded maps', () => {
  const config = parseConfig(
    `metrics:
  counters:
    - { name: bytes_total, help: Bytes, map: stats, value: { offset: 0 }, labels: ${LABEL} }
    - { name: packets_total, help: Packets, map: stats, value: { offset: 8 }, labels: ${LABEL} }
  histograms:
    - name: latency
      help: Latency
      bucket_type: exp2
      bucket_max: 3
      sum: { offset: 8 }
      value: { offset: 0 }
      labels:
        - { name: bucket, size: 4, decoders: [{ name: uint }] }
        - { name: cpu, size: 2, decoders: [{ name: uint }] }
`,
    'shapes.yaml',
  );
  const maps: MapInfo[] = [
    { name: 'stats', type: 'hash', keySize: 4, valueSize: 16 },
    { name: 'latency', type: 'percpu_hash', keySize: 4, valueSize: 16 },
  ];

  it('accepts fields inside the values and a per-CPU histogram on a per-CPU map', () => {
    expect(validateConfigAgainstMaps(config, maps)).toEqual([]);
  });

  it('names the field that does not fit and the per-CPU histogram on another map type', () => {
    const errors = validateConfigAgainstMaps(config, [
      { name: 'stats', type: 'hash', keySize: 4, valueSize: 12 },
      { name: 'latency', type: 'hash', keySize: 4, valueSize: 16 },
    ]);
    expect(errors.map((error) => error.message)).toEqual([
      'shapes.yaml:4:7: metrics.counters[1].value: map "stats" has 12-byte values, too few for 8 bytes at offset 8',
      'shapes.yaml:6:7: metrics.histograms[0].labels: a last cpu label after the bucket label needs a per-CPU map; "latency" is a hash',
      'shapes.yaml:6:7: metrics.histograms[0].labels: labels take 6 bytes (sizes plus paddings) but map "latency" has 4-byte keys',
    ]);
  });

  it('asks for value when a map holds more than one u64', () => {
    const upstream = parseConfig(`metrics:\n  counters:\n    - { name: stats, help: S, labels: ${LABEL} }\n`, 'shapes.yaml');
    expect(validateConfigAgainstMaps(upstream, maps).map((error) => error.message)).toEqual([
      'shapes.yaml:3:7: metrics.counters[0].name: map "stats" has 16-byte values, expected 8 (u64); name the field to read with value: { offset, size }',
    ]);
  });
});
