// What issue #22 refuses at load: configs that Prometheus would reject, or whose histograms could hold no
// data. Each refusal names file, line, column and field, like every other config error.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { parseConfig } from './parse-config';

const FILE = 'examples/foo.yaml';
const BUCKET = '        - { name: bucket, size: 8, decoders: [{ name: uint }] }\n';
const LABEL = '        - { name: l, size: 4, decoders: [{ name: uint }] }\n';

const histogram = (fields: string, labels = BUCKET) => `metrics:\n  histograms:\n    - name: h\n      help: h\n${fields}      labels:\n${labels}`;
const counter = (labels: string, fields = '') => `metrics:\n  counters:\n    - name: c\n      help: c\n${fields}      labels:\n${labels}`;
const decoder = (text: string) => counter(`        - name: l\n          size: 4\n          decoders:\n            - ${text}\n`);

function refusal(text: string): string {
  try {
    parseConfig(text, FILE);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.slice(`${FILE}:`.length);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** One test per row: the config text and the whole message after `file:`. */
function refusesEach(rows: readonly (readonly [what: string, text: string, message: string])[]): void {
  it.each(rows)('refuses %s', (_, text, message) => {
    expect(refusal(text)).toBe(message);
  });
}

describe('configs that were fine', () => {
  it.each(['../../../../examples', '../../test-fixtures'])('all still parse in %s', (dir) => {
    const root = join(import.meta.dirname, dir);
    const files = readdirSync(root).filter((file) => file.endsWith('.yaml') && !file.endsWith('.expect.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(() => parseConfig(readFileSync(join(root, file), 'utf8'), file)).not.toThrow();
  });
});

// Two metrics of one name, in one config or in two, are the exporter's to refuse (apps/exporter
// family-names.ts), since it also knows its own families and each type's series names.
describe('Prometheus names', () => {
  refusesEach([
    ['a metric name Prometheus refuses', 'metrics:\n  counters:\n    - name: a-b\n      help: c\n', '3:13: metrics.counters[0].name: "a-b" is not a valid metric name: ebpf_exporter_a-b must match [a-zA-Z_:][a-zA-Z0-9_:]*'],
    ['a label name Prometheus refuses', counter('        - { name: bad-name, size: 4, decoders: [{ name: uint }] }\n'), '6:19: metrics.counters[0].labels[0].name: "bad-name" is not a valid label name: it must match [a-zA-Z_][a-zA-Z0-9_]*'],
    ['a reserved label name', counter('        - { name: __x, size: 4, decoders: [{ name: uint }] }\n'), '6:19: metrics.counters[0].labels[0].name: "__x": label names starting with __ are reserved for Prometheus'],
    ['a histogram label named le', histogram('      bucket_type: exp2\n      bucket_max: 3\n', `        - { name: le, size: 4, decoders: [{ name: uint }] }\n${BUCKET}`), '8:19: metrics.histograms[0].labels[0].name: "le" is reserved in a histogram: it holds the upper bound of each bucket'],
    ['two cpu labels', counter(`${LABEL.replace('name: l', 'name: cpu')}        - { name: cpu, size: 2, decoders: [{ name: uint }] }\n`), '7:19: metrics.counters[0].labels[1].name: duplicate label name "cpu"'],
  ]);

  it('accepts what Prometheus accepts: a leading digit behind the namespace, colons, cpu, le outside histograms', () => {
    const config = parseConfig(counter(`${LABEL.replace('name: l', 'name: le')}${LABEL.replace('name: l', 'name: cpu')}`).replace('name: c', 'name: 1st:total'), FILE);
    expect(config.metrics.counters[0]?.labels.map((label) => label.name)).toEqual(['le', 'cpu']);
  });

  it('leaves a histogram bucket label and span labels to their own rules: neither becomes a Prometheus label', () => {
    const config = parseConfig(
      `${histogram('      bucket_type: exp2\n      bucket_max: 3\n', BUCKET.replace('name: bucket', 'name: le'))}tracing:\n  spans:\n    - ringbuf: r\n      labels: [{ name: http.method, size: 4, decoders: [{ name: uint }] }]\n`,
      FILE,
    );
    expect([config.metrics.histograms[0]?.labels[0]?.name, config.tracing.spans[0]?.labels[0]?.name]).toEqual(['le', 'http.method']);
  });
});

describe('histograms that can hold data', () => {
  refusesEach([
    ['bucket_max below bucket_min', histogram('      bucket_type: exp2\n      bucket_min: 5\n      bucket_max: 2\n'), '7:19: metrics.histograms[0].bucket_max: must not be less than bucket_min (5): no bucket could hold data'],
    ['a negative multiplier', histogram('      bucket_type: exp2\n      bucket_max: 2\n      bucket_multiplier: -1\n'), '7:26: metrics.histograms[0].bucket_multiplier: must be a positive finite number (0 or absent means 1), not -1'],
    ['an infinite multiplier', histogram('      bucket_type: exp2\n      bucket_max: 2\n      bucket_multiplier: .inf\n'), '7:26: metrics.histograms[0].bucket_multiplier: must be a positive finite number (0 or absent means 1), not Infinity'],
    ['a NaN multiplier', histogram('      bucket_type: linear\n      bucket_max: 2\n      bucket_multiplier: .nan\n'), '7:26: metrics.histograms[0].bucket_multiplier: must be a positive finite number (0 or absent means 1), not NaN'],
    ['a repeated fixed key', histogram('      bucket_type: fixed\n      bucket_keys: [1, 2, 2]\n'), '6:27: metrics.histograms[0].bucket_keys[2]: repeats bucket key 2'],
    ['fixed keys out of order', histogram('      bucket_type: fixed\n      bucket_keys: [1, 5, 3]\n'), '6:27: metrics.histograms[0].bucket_keys[2]: must be greater than the key before it (5): bucket keys must increase'],
    ['an infinite fixed key', histogram('      bucket_type: fixed\n      bucket_keys: [1, .inf]\n'), '6:24: metrics.histograms[0].bucket_keys[1]: must be a finite number'],
    ['more than 1024 buckets', histogram('      bucket_type: linear\n      bucket_max: 1024\n'), '6:19: metrics.histograms[0].bucket_max: makes 1025 buckets from bucket_min 0; at most 1024 are allowed'],
    [
      'exp2 bounds past the largest double',
      histogram('      bucket_type: exp2\n      bucket_min: 1000\n      bucket_max: 1030\n'),
      '7:19: metrics.histograms[0].bucket_max: bucket 1024 would have the upper bound Infinity, after 8.98846567431158e+307: upper bounds must be finite and increasing',
    ],
    [
      'exp2zero below bucket 0, whose bounds go down',
      histogram('      bucket_type: exp2zero\n      bucket_min: -2\n      bucket_max: 3\n'),
      '6:19: metrics.histograms[0].bucket_min: bucket 0 would have the upper bound 0, after 0.25: upper bounds must be finite and increasing',
    ],
  ]);

  it('accepts 1024 buckets, a negative linear range and increasing fractional fixed keys', () => {
    expect(parseConfig(histogram('      bucket_type: linear\n      bucket_min: -10\n      bucket_max: 1013\n'), FILE).metrics.histograms[0]?.bucketMax).toBe(1013);
    expect(parseConfig(histogram('      bucket_type: fixed\n      bucket_keys: [0.5, 1, 2.5]\n'), FILE).metrics.histograms[0]?.bucketKeys).toEqual([0.5, 1, 2.5]);
  });
});

describe('decoder option types', () => {
  refusesEach([
    ['a list as a static_map value', decoder('{ name: static_map, static_map: { 1: [a, b] } }'), '9:52: metrics.counters[0].labels[0].decoders[0].static_map.1: must be a string, not a list'],
    ['a mapping as a static_map value', decoder('{ name: static_map, static_map: { 1: { a: b } } }'), '9:52: metrics.counters[0].labels[0].decoders[0].static_map.1: must be a string, not a mapping'],
    ['a list as a static_map key', decoder('{ name: static_map, static_map: { [1, 2]: a } }'), '9:49: metrics.counters[0].labels[0].decoders[0].static_map: keys must be strings, not lists'],
    ['a static_map that is a list', decoder('{ name: static_map, static_map: [a] }'), '9:47: metrics.counters[0].labels[0].decoders[0].static_map: must be a mapping'],
    ['regexps that is a string', decoder('{ name: regexp, regexps: "^a" }'), '9:40: metrics.counters[0].labels[0].decoders[0].regexps: must be a list'],
    ['a mapping among the regexps', decoder('{ name: regexp, regexps: [{ a: b }] }'), '9:41: metrics.counters[0].labels[0].decoders[0].regexps[0]: must be a string'],
  ]);

  it('refuses an integer that a double cannot hold exactly', () => {
    expect(refusal(counter(LABEL.replace('size: 4', 'size: 1e20')))).toBe('6:28: metrics.counters[0].labels[0].size: must be an integer between -(2^53 - 1) and 2^53 - 1');
  });
});

describe('max_series', () => {
  it('reads a positive integer on counters and histograms, and leaves it out when absent', () => {
    const config = parseConfig(
      `${counter(LABEL, '      max_series: 10_000\n')}  histograms:\n    - { name: h, help: h, bucket_type: exp2, bucket_max: 3, max_series: 0x10, labels: [{ name: bucket, size: 8, decoders: [{ name: uint }] }] }\n    - { name: g, help: g, bucket_type: exp2, bucket_max: 3, labels: [{ name: bucket, size: 8, decoders: [{ name: uint }] }] }\n`,
      FILE,
    );
    expect(config.metrics.counters[0]?.maxSeries).toBe(10_000);
    expect(config.metrics.histograms.map((h) => h.maxSeries)).toEqual([16, undefined]);
    expect('maxSeries' in (config.metrics.histograms[1] ?? {})).toBe(false);
  });

  const positive = 'must be a positive integer';
  const integer = 'must be an integer';
  refusesEach(
    ([['0', positive], ['-3', positive], ['1.5', integer], ['lots', integer]] as const).map(
      ([value, problem]) => [`max_series: ${value}`, counter(LABEL, `      max_series: ${value}\n`), `5:19: metrics.counters[0].max_series: ${problem}`] as const,
    ),
  );
});
