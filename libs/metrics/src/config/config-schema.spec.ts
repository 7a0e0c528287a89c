// schema/ebpf-exporter-config.schema.json is what editors check configs against as they are typed (the
// YAML language server). These tests hold it to the parser: what the parser loads, the schema accepts, and
// what it refuses, the schema flags. The YAML is read as the language server reads it by default (YAML
// 1.2, the yaml package's default), so the tests see what an editor user sees.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject, type SchemaObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DECODER_NAMES } from '../decoders/decoder-names';
import { ConfigError } from './config-error';
import { parseGoDuration } from './go-duration';
import { parseConfig } from './parse-config';
import { BUCKET_TYPES } from './types';

const REPOSITORY = join(import.meta.dirname, '../../../..');
const SCHEMA: SchemaObject = JSON.parse(readFileSync(join(REPOSITORY, 'schema/ebpf-exporter-config.schema.json'), 'utf8'));
const FILE = 'examples/foo.yaml';

// ajv refuses unknown keywords (strictSchema, its default), so a misspelt keyword fails here instead of being
// silently ignored by editors; enumDescriptions is the language server's own, the hover text of each enum
// value. strictTypes is off: it wants `type` repeated in each anyOf/if/then branch that only narrows an
// object whose own schema gives its type.
const ajv = new Ajv({ allErrors: true, strictTypes: false });
ajv.addKeyword('enumDescriptions');
const validate = ajv.compile(SCHEMA);

/** The schema's complaints about a config, read as YAML 1.2 (the language server's default) or 1.1. */
function schemaErrors(text: string, version: '1.1' | '1.2' = '1.2'): ErrorObject[] {
  return validate(parse(text, { version })) ? [] : (validate.errors ?? []);
}

/** The schema's value at a JSON pointer; a missing one fails the test. */
function schemaAt(pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((node, key) => {
      if (typeof node !== 'object' || node === null || !(key in node)) throw new Error(`the schema has no ${pointer}`);
      return (node as Record<string, unknown>)[key];
    }, SCHEMA);
}

/** The configs of a directory, as the parser's own tests pick them. */
function configsIn(dir: string): [string, string][] {
  const root = join(REPOSITORY, dir);
  return readdirSync(root)
    .filter((file) => file.endsWith('.yaml') && !file.endsWith('.expect.yaml'))
    .map((file) => [`${dir}/${file}`, readFileSync(join(root, file), 'utf8')]);
}

const LABEL = '{ name: l, size: 4, decoders: [{ name: uint }] }';
const BUCKET = '{ name: bucket, size: 8, decoders: [{ name: uint }] }';
const counterWith = (fields: string) => `metrics:\n  counters:\n    - name: c\n      help: c\n${fields}`;
const labelWith = (fields: string) => counterWith(`      labels:\n        - name: l\n${fields}`);

/** Configs using every key the parser reads, each one the parser loads. */
const ACCEPTED: [what: string, text: string][] = [
  [
    'every upstream key',
    `metrics:
  counters:
    - name: oom_kills_total
      help: OOM kills
      perf_event_array: true
      flush_interval: 1h30m
      max_series: 100
      labels:
        - name: cgroup_path
          size: 8
          padding: 0
          decoders: [{ name: uint }, { name: cgroup }]
  histograms:
    - name: bio_latency_seconds
      help: Block IO latency
      bucket_type: exp2
      bucket_min: 0
      bucket_max: 27
      bucket_multiplier: 0.000001
      max_series: 0x10
      labels:
        - { name: operation, size: 1, padding: 3, decoders: [{ name: uint }, { name: static_map, allow_unknown: true, static_map: { 1: read, 0x10: flush, 3: 4, 5: ~ } }] }
        - ${BUCKET}
    - { name: fixed_seconds, help: h, bucket_type: fixed, bucket_keys: [1, 2.5, 10], bucket_multiplier: 0, labels: [${BUCKET}] }
    - { name: linear, help: h, bucket_type: linear, bucket_min: -10, bucket_max: 1013, labels: [${BUCKET}] }
tracing:
  spans:
    - ringbuf: exec_spans
      name: exec
      service: exec-trace
      labels: [{ name: trace.id, size: 16, decoders: [{ name: hex }] }]
kaddrs: [bpf_jit_current]
cgroup_id_map:
  name: cgroup_id_map
  type: cgrp_storage
  regexps: ['^.*(system\\.slice/.*)$']
`,
  ],
  ['every decoder', counterWith(`      labels:\n${DECODER_NAMES.map((name, index) => `        - { name: l${index}, size: 4, decoders: [{ name: ${name}, regexps: ['^(?P<x>a)'] }] }\n`).join('')}`)],
  ['anchors and aliases', `metrics:\n  counters:\n    - { name: a, help: a, labels: &labels [${LABEL}] }\n    - { name: b, help: b, labels: *labels }\n`],
  ['a span config alone', 'tracing:\n  spans:\n    - ringbuf: r\n'],
  ['label names Prometheus takes', counterWith(`      labels: [${LABEL.replace('name: l', 'name: le')}, ${LABEL.replace('name: l', 'name: _1')}]\n`).replace('name: c', 'name: 1st:total')],
  [
    "issue #15's gauges, map, value and sum",
    `metrics:
  gauges:
    - name: queue_depth
      help: Queue depth
      map: queues
      value: { offset: 8, size: 4, signed: true }
      max_series: 10
      labels: [${LABEL}]
  counters:
    - { name: queue_drops_total, help: h, map: queues, value: { offset: 0, size: 8 }, labels: [${LABEL}] }
  histograms:
    - name: queue_wait_seconds
      help: h
      bucket_type: exp2
      bucket_max: 20
      map: waits
      value: { offset: 0, size: 8 }
      sum: { offset: 8, size: 8 }
      labels: [${BUCKET}, { name: cpu, size: 2, decoders: [{ name: uint }] }]
`,
  ],
];

/**
 * What the parser loads but the schema flags on purpose: a key nobody reads (upstream ignores it too, but it
 * is most likely a typo) and YAML 1.1 spellings that only yaml.v2 and YAML 1.1 readers take as numbers and
 * booleans. The latter pass where the language server reads YAML 1.1 (`yaml.yamlVersion: "1.1"`).
 */
const FLAGGED: [what: string, text: string, keyword: string, yaml11: 'accepted' | 'flagged'][] = [
  ['an unknown key', counterWith('      helpp: typo\n'), 'additionalProperties', 'flagged'],
  ['allow_unknown: yes', labelWith('          size: 4\n          decoders: [{ name: static_map, allow_unknown: yes }]\n'), 'type', 'accepted'],
  ['max_series: 10_000', counterWith('      max_series: 10_000\n'), 'type', 'accepted'],
  ['size: 0b100', labelWith('          size: 0b100\n          decoders: [{ name: uint }]\n'), 'type', 'accepted'],
];

/** Configs the parser refuses, with the schema keyword and instance path that flag them too. */
const REFUSED: [what: string, text: string, keyword: string, path: string][] = [
  ['a size that is not a number', labelWith('          size: eight\n          decoders: [{ name: uint }]\n'), 'type', '/metrics/counters/0/labels/0/size'],
  ['a zero size', labelWith('          size: 0\n          decoders: [{ name: uint }]\n'), 'minimum', '/metrics/counters/0/labels/0/size'],
  ['an unknown bucket type', `metrics:\n  histograms:\n    - { name: h, help: h, bucket_type: log10, labels: [${BUCKET}] }\n`, 'enum', '/metrics/histograms/0/bucket_type'],
  ['fixed without bucket_keys', `metrics:\n  histograms:\n    - { name: h, help: h, bucket_type: fixed, labels: [${BUCKET}] }\n`, 'required', '/metrics/histograms/0'],
  ['a histogram without labels', 'metrics:\n  histograms:\n    - { name: h, help: h, bucket_type: exp2, bucket_max: 3 }\n', 'required', '/metrics/histograms/0'],
  ['an unknown decoder', labelWith('          size: 4\n          decoders: [{ name: base64 }]\n'), 'enum', '/metrics/counters/0/labels/0/decoders/0/name'],
  ['a regexp decoder without regexps', labelWith('          size: 4\n          decoders: [{ name: regexp }]\n'), 'required', '/metrics/counters/0/labels/0/decoders/0'],
  ['no decoders', labelWith('          size: 4\n          decoders: []\n'), 'minItems', '/metrics/counters/0/labels/0/decoders'],
  ['a missing help', 'metrics:\n  counters:\n    - name: c\n', 'required', '/metrics/counters/0'],
  ['a metric name Prometheus refuses', counterWith('').replace('name: c', 'name: a-b'), 'pattern', '/metrics/counters/0/name'],
  ['a reserved label name', counterWith(`      labels: [${LABEL.replace('name: l', 'name: __l')}]\n`), 'pattern', '/metrics/counters/0/labels/0/name'],
  ['a bad flush_interval', counterWith('      perf_event_array: true\n      flush_interval: 1 hour\n'), 'pattern', '/metrics/counters/0/flush_interval'],
  ['a bad cgroup_id_map type', `${counterWith('')}cgroup_id_map: { name: m, type: array }\n`, 'enum', '/cgroup_id_map/type'],
  ['a zero max_series', counterWith('      max_series: 0\n'), 'minimum', '/metrics/counters/0/max_series'],
  ['no metrics at all', 'kaddrs: [foo]\n', 'anyOf', ''],
  ['a 3-byte value', counterWith('      value: { size: 3 }\n'), 'enum', '/metrics/counters/0/value/size'],
  ['a negative value offset', counterWith('      value: { offset: -1 }\n'), 'minimum', '/metrics/counters/0/value/offset'],
  ['a signed counter', counterWith('      value: { signed: true }\n'), 'additionalProperties', '/metrics/counters/0/value'],
  ['a signed histogram sum', `metrics:\n  histograms:\n    - { name: h, help: h, bucket_type: exp2, bucket_max: 3, sum: { signed: true }, labels: [${BUCKET}] }\n`, 'additionalProperties', '/metrics/histograms/0/sum'],
];

describe('the config schema', () => {
  it.each([...configsIn('examples'), ...configsIn('libs/metrics/test-fixtures')])('accepts %s', (_, text) => {
    expect(schemaErrors(text)).toEqual([]);
  });

  it.each(ACCEPTED)('accepts %s, as the parser does', (_, text) => {
    expect(() => parseConfig(text, FILE)).not.toThrow();
    expect(schemaErrors(text)).toEqual([]);
  });

  it.each(FLAGGED)('flags %s, which the parser loads', (_, text, keyword, yaml11) => {
    expect(() => parseConfig(text, FILE)).not.toThrow();
    expect(schemaErrors(text).map((error) => error.keyword)).toContain(keyword);
    expect(schemaErrors(text, '1.1').length === 0 ? 'accepted' : 'flagged').toBe(yaml11);
  });

  it.each(REFUSED)('flags %s, which the parser refuses', (_, text, keyword, path) => {
    expect(() => parseConfig(text, FILE)).toThrow(ConfigError);
    expect(schemaErrors(text).map((error) => [error.keyword, error.instancePath])).toContainEqual([keyword, path]);
  });
});

describe('the schema and the parser', () => {
  const definition = (pointer: string) => schemaAt(`/definitions/${pointer}`);

  it('name the same decoders, each with a description', () => {
    expect(definition('decoder/properties/name/enum')).toEqual([...DECODER_NAMES]);
    expect(definition('decoder/properties/name/enumDescriptions')).toHaveLength(DECODER_NAMES.length);
  });

  it('name the same bucket types, each with a description', () => {
    expect(definition('histogram/properties/bucket_type/enum')).toEqual([...BUCKET_TYPES]);
    expect(definition('histogram/properties/bucket_type/enumDescriptions')).toHaveLength(BUCKET_TYPES.length);
  });

  it('have the same defaults', () => {
    const config = parseConfig(
      `metrics:\n  counters:\n    - { name: c, help: c, labels: [{ name: l, size: 4, decoders: [{ name: static_map }] }] }\n  gauges:\n    - { name: g, help: g }\n  histograms:\n    - { name: h, help: h, bucket_type: exp2, bucket_max: 3, labels: [${BUCKET}] }\ncgroup_id_map: { name: m }\n`,
      FILE,
    );
    const [counter] = config.metrics.counters;
    expect(counter?.flushIntervalMs).toBe(parseGoDuration(String(definition('counter/properties/flush_interval/default'))));
    expect(counter?.perfEventArray).toBe(definition('counter/properties/perf_event_array/default'));
    expect(counter?.labels[0]?.padding).toBe(definition('label/properties/padding/default'));
    expect(counter?.labels[0]?.decoders[0]?.allowUnknown).toBe(definition('decoder/properties/allow_unknown/default'));
    expect(config.metrics.gauges[0]?.value).toEqual({
      offset: definition('offset/default'),
      size: definition('size/default'),
      signed: definition('gaugeField/properties/signed/default'),
    });
    expect(config.metrics.histograms[0]).toMatchObject({
      bucketMin: definition('histogram/properties/bucket_min/default'),
      bucketMultiplier: definition('histogram/properties/bucket_multiplier/default'),
    });
    expect(config.cgroupIdMap?.type).toBe(schemaAt('/properties/cgroup_id_map/properties/type/default'));
  });
});
