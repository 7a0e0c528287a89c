import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { parseConfig } from './parse-config';

const FILE = 'examples/foo.yaml';

function configError(text: string): ConfigError {
  try {
    parseConfig(text, FILE);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const BIOLATENCY = `metrics:
  histograms:
    - name: bio_latency_seconds
      help: Block IO latency histogram
      bucket_type: exp2
      bucket_min: 0
      bucket_max: 27
      bucket_multiplier: 0.000001 # microseconds to seconds
      labels:
        - name: device
          size: 4
          decoders:
            - name: majorminor
        - name: operation
          size: 1
          padding: 3
          decoders:
            - name: uint
            - name: static_map
              static_map:
                1: read
                2: write
                0x10: flush
        - name: bucket
          size: 8
          decoders:
            - name: uint
  counters:
    - name: bio_total
      help: Block IOs
      unknown_upstream_key: ignored
      labels: []
    - name: oom_kills_total
      help: OOM kills
      perf_event_array: true
      flush_interval: 1h30m
      labels:
        - name: cgroup_path
          size: 8
          decoders:
            - name: uint
            - name: cgroup
tracing:
  spans:
    - ringbuf: exec_spans
      service: exec-trace
      labels:
        - name: trace_id
          size: 16
          decoders:
            - name: hex
kaddrs:
  - bpf_jit_current
cgroup_id_map:
  name: cgroup_id_map
  regexps:
    - ^.*(system\\.slice/.*)$
name: ignored-like-upstream
`;

describe('parseConfig', () => {
  it('reads every upstream field, with upstream defaults', () => {
    const config = parseConfig(BIOLATENCY, 'examples/biolatency.yaml');
    expect(config.name).toBe('biolatency');
    expect(config.file).toBe('examples/biolatency.yaml');
    const [histogram] = config.metrics.histograms;
    expect(histogram).toMatchObject({
      name: 'bio_latency_seconds',
      help: 'Block IO latency histogram',
      bucketType: 'exp2',
      bucketMin: 0,
      bucketMax: 27,
      bucketMultiplier: 0.000001,
      bucketKeys: [],
      position: { line: 3, column: 7 },
    });
    expect(histogram?.labels.map((label) => [label.name, label.size, label.padding])).toEqual([
      ['device', 4, 0],
      ['operation', 1, 3],
      ['bucket', 8, 0],
    ]);
    // Go's yaml keeps the source spelling of scalars decoded into strings.
    expect([...(histogram?.labels[1]?.decoders[1]?.staticMap ?? [])]).toEqual([
      ['1', 'read'],
      ['2', 'write'],
      ['0x10', 'flush'],
    ]);
    expect(config.metrics.counters[0]).toMatchObject({ name: 'bio_total', perfEventArray: false, flushIntervalMs: 3_600_000, labels: [] });
    expect(config.metrics.counters[1]).toMatchObject({ perfEventArray: true, flushIntervalMs: 5_400_000 });
    expect(config.tracing.spans[0]).toMatchObject({ name: 'exec_spans', ringbuf: 'exec_spans', service: 'exec-trace' });
    expect(config.kaddrs).toEqual(['bpf_jit_current']);
    expect(config.cgroupIdMap?.type).toBe('hash');
    expect(config.cgroupIdMap?.regexps[0]?.find('/sys/fs/cgroup/system.slice/foo.service')?.[1]).toBe('system.slice/foo.service');
  });

  it('defaults the multiplier to 1 when it is 0 or absent and takes fixed bucket keys', () => {
    const config = parseConfig(
      `metrics:
  histograms:
    - name: h
      help: h
      bucket_type: fixed
      bucket_keys: [1, 2.5, 10]
      bucket_multiplier: 0
      labels:
        - { name: bucket, size: 8, decoders: [{ name: uint }] }
`,
      FILE,
    );
    expect(config.metrics.histograms[0]).toMatchObject({ bucketType: 'fixed', bucketKeys: [1, 2.5, 10], bucketMultiplier: 1 });
  });

  it('accepts YAML anchors and aliases', () => {
    const config = parseConfig(
      `labels: &labels
  - { name: port, size: 2, decoders: [{ name: uint }] }
metrics:
  counters:
    - { name: a, help: a, labels: *labels }
`,
      FILE,
    );
    expect(config.metrics.counters[0]?.labels[0]?.name).toBe('port');
  });

  it('translates Go regexp syntax', () => {
    const config = parseConfig(
      `metrics:
  counters:
    - name: c
      help: c
      labels:
        - name: comm
          size: 16
          decoders:
            - name: string
            - name: regexp
              regexps: ['(?i)^(?P<name>KWORKER)']
`,
      FILE,
    );
    const regexp = config.metrics.counters[0]?.labels[0]?.decoders[1]?.regexps[0];
    expect(regexp?.find('kworker/0:1')?.[1]).toBe('kworker');
  });
});

describe('parseConfig errors', () => {
  const counter = (labels: string): string => `metrics:
  counters:
    - name: c
      help: c
      labels:
${labels}`;

  const cases: { what: string; text: string; line: number; column: number; field: string; problem: RegExp }[] = [
    { what: 'malformed YAML', text: 'metrics:\n  counters: [\n', line: 3, column: 1, field: '', problem: /flow sequence|Missing/i },
    { what: 'a tab-indented mapping', text: 'metrics:\n\tcounters: []\n', line: 2, column: 1, field: '', problem: /tab/i },
    { what: 'no metrics at all', text: 'kaddrs: [foo]\n', line: 1, column: 1, field: '', problem: /no metrics.counters/ },
    { what: 'metrics not a mapping', text: 'metrics: [1]\n', line: 1, column: 10, field: 'metrics', problem: /must be a mapping/ },
    {
      what: 'a missing name',
      text: 'metrics:\n  counters:\n    - help: h\n      labels: []\n',
      line: 3,
      column: 7,
      field: 'metrics.counters[0].name',
      problem: /is required/,
    },
    {
      what: 'a missing help',
      text: 'metrics:\n  histograms:\n    - name: h\n      bucket_type: exp2\n',
      line: 3,
      column: 7,
      field: 'metrics.histograms[0].help',
      problem: /is required/,
    },
    {
      what: 'an unknown bucket type',
      text: 'metrics:\n  histograms:\n    - name: h\n      help: h\n      bucket_type: log10\n',
      line: 5,
      column: 20,
      field: 'metrics.histograms[0].bucket_type',
      problem: /^"log10" is not one of exp2, exp2zero, linear, fixed$/,
    },
    {
      what: 'a missing bucket type',
      text: 'metrics:\n  histograms:\n    - name: h\n      help: h\n',
      line: 3,
      column: 7,
      field: 'metrics.histograms[0].bucket_type',
      problem: /is required/,
    },
    {
      what: 'zero-size histogram buckets',
      text: 'metrics:\n  histograms:\n    - name: h\n      help: h\n      bucket_type: exp2\n      bucket_min: 3\n      bucket_max: 3\n',
      line: 7,
      column: 19,
      field: 'metrics.histograms[0].bucket_max',
      problem: /zero size/,
    },
    {
      what: 'fixed buckets without keys',
      text: 'metrics:\n  histograms:\n    - name: h\n      help: h\n      bucket_type: fixed\n',
      line: 3,
      column: 7,
      field: 'metrics.histograms[0].bucket_keys',
      problem: /bucket_keys/,
    },
    {
      what: 'a histogram without labels',
      text: 'metrics:\n  histograms:\n    - name: h\n      help: h\n      bucket_type: linear\n      bucket_max: 10\n      labels: []\n',
      line: 7,
      column: 15,
      field: 'metrics.histograms[0].labels',
      problem: /at least one label/,
    },
    {
      what: 'a duplicate label name',
      text: counter('        - { name: l, size: 4, decoders: [{ name: uint }] }\n        - { name: l, size: 4, decoders: [{ name: uint }] }\n'),
      line: 7,
      column: 19,
      field: 'metrics.counters[0].labels[1].name',
      problem: /duplicate label name "l"/,
    },
    {
      what: 'a label without size',
      text: counter('        - name: l\n          decoders: [{ name: uint }]\n'),
      line: 6,
      column: 11,
      field: 'metrics.counters[0].labels[0].size',
      problem: /is required/,
    },
    {
      what: 'a zero label size',
      text: counter('        - name: l\n          size: 0\n          decoders: [{ name: uint }]\n'),
      line: 7,
      column: 17,
      field: 'metrics.counters[0].labels[0].size',
      problem: /positive/,
    },
    {
      what: 'a label size that is not a number',
      text: counter('        - name: l\n          size: eight\n          decoders: [{ name: uint }]\n'),
      line: 7,
      column: 17,
      field: 'metrics.counters[0].labels[0].size',
      problem: /must be an integer/,
    },
    {
      what: 'a negative padding',
      text: counter('        - name: l\n          size: 4\n          padding: -1\n          decoders: [{ name: uint }]\n'),
      line: 8,
      column: 20,
      field: 'metrics.counters[0].labels[0].padding',
      problem: /negative/,
    },
    {
      what: 'empty decoders',
      text: counter('        - name: l\n          size: 4\n          decoders: []\n'),
      line: 8,
      column: 21,
      field: 'metrics.counters[0].labels[0].decoders',
      problem: /at least one decoder/,
    },
    {
      what: 'missing decoders',
      text: counter('        - name: l\n          size: 4\n'),
      line: 6,
      column: 11,
      field: 'metrics.counters[0].labels[0].decoders',
      problem: /at least one decoder/,
    },
    {
      what: 'an unknown decoder',
      text: counter('        - name: l\n          size: 4\n          decoders:\n            - name: uint\n            - name: base64\n'),
      line: 10,
      column: 21,
      field: 'metrics.counters[0].labels[0].decoders[1].name',
      problem: /unknown decoder "base64", must be one of cgroup, dname/,
    },
    {
      what: 'a regexp decoder without regexps',
      text: counter('        - name: l\n          size: 4\n          decoders:\n            - name: regexp\n'),
      line: 9,
      column: 15,
      field: 'metrics.counters[0].labels[0].decoders[0].regexps',
      problem: /at least one regexp/,
    },
    {
      what: 'an invalid regexp',
      text: counter('        - name: l\n          size: 4\n          decoders:\n            - name: regexp\n              regexps: ["(unclosed"]\n'),
      line: 10,
      column: 25,
      field: 'metrics.counters[0].labels[0].decoders[0].regexps[0]',
      problem: /invalid regular expression/,
    },
    {
      what: 'a regexp with a lookbehind, which Go refuses',
      text: counter('        - name: l\n          size: 4\n          decoders:\n            - name: regexp\n              regexps: ["^x", "(?<=a)b"]\n'),
      line: 10,
      column: 31,
      field: 'metrics.counters[0].labels[0].decoders[0].regexps[1]',
      problem: /invalid regular expression "\(\?<=a\)b": error parsing regexp: invalid named capture/,
    },
    {
      what: 'a bad flush_interval',
      text: 'metrics:\n  counters:\n    - name: c\n      help: c\n      perf_event_array: true\n      flush_interval: 1 hour\n',
      line: 6,
      column: 23,
      field: 'metrics.counters[0].flush_interval',
      problem: /Go duration/,
    },
    {
      what: 'a non-boolean perf_event_array',
      text: 'metrics:\n  counters:\n    - name: c\n      help: c\n      perf_event_array: yes please\n',
      line: 5,
      column: 25,
      field: 'metrics.counters[0].perf_event_array',
      problem: /true or false/,
    },
    {
      what: 'a bad cgroup_id_map type',
      text: 'metrics:\n  counters: [{ name: c, help: c }]\ncgroup_id_map:\n  name: m\n  type: array\n',
      line: 5,
      column: 9,
      field: 'cgroup_id_map.type',
      problem: /hash, cgrp_storage/,
    },
    {
      what: 'a span without ringbuf',
      text: 'tracing:\n  spans:\n    - name: s\n',
      line: 3,
      column: 7,
      field: 'tracing.spans[0].ringbuf',
      problem: /is required/,
    },
  ];

  it.each(cases)('reports $what at its line, column and field', ({ text, line, column, field, problem }) => {
    const error = configError(text);
    expect({ file: error.file, line: error.line, column: error.column, field: error.field }).toEqual({ file: FILE, line, column, field });
    expect(error.problem).toMatch(problem);
    expect(error.message).toBe(`${FILE}:${line}:${column}: ${field === '' ? '' : `${field}: `}${error.problem}`);
  });

  it('formats the message like the style guide example', () => {
    const error = configError('metrics:\n  histograms:\n    - name: h\n      help: h\n      bucket_type: log10\n');
    expect(error.message).toBe('examples/foo.yaml:5:20: metrics.histograms[0].bucket_type: "log10" is not one of exp2, exp2zero, linear, fixed');
  });
});
