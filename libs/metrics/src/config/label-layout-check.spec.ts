import type { BtfType } from '@ebpf-exporter/map-types';
import { describe, expect, it } from 'vitest';
import { array, char, int, labelsConfigYaml, mapTypes, pointer, struct, type LabelRow } from '../testing/btf-types';
import { checkLabelLayouts, formatLayoutFindings } from './label-layout-check';
import { parseConfig } from './parse-config';

type Label = LabelRow;
const configYaml = (kind: 'counter' | 'histogram', labels: readonly Label[]): string => labelsConfigYaml(kind, 'things_total', labels);

function findings(key: BtfType | undefined, labels: readonly Label[], options: { kind?: 'counter' | 'histogram'; mapType?: string } = {}): string[] {
  const config = parseConfig(configYaml(options.kind ?? 'counter', labels), 'things.yaml');
  return checkLabelLayouts(config, [mapTypes('things_total', key, options.mapType ? { type: options.mapType } : {})]).map(
    (finding) => `${finding.severity} ${finding.error.field}: ${finding.error.problem}`,
  );
}

const hole = struct('hole_key', [
  ['op', int(1)],
  ['ts', int(8)],
]);
const pair = struct('pair_key', [
  ['pid', int(4)],
  ['tid', int(4)],
]);

// Each row: a key struct, the labels a YAML gives it, and what the check must say (substrings, in order).
const cases: { name: string; key: BtfType | undefined; labels: Label[]; kind?: 'counter' | 'histogram'; mapType?: string; expect: string[] }[] = [
  { name: 'labels that follow the struct, padding included', key: hole, labels: [['op', 1, 7], ['ts', 8]], expect: [] },
  {
    name: 'forgotten padding: the next label starts in the hole',
    key: hole,
    labels: [['op', 1], ['ts', 8]],
    expect: [
      "error metrics.counters[0].labels: labels take 9 bytes (sizes plus paddings) but map things_total's key struct hole_key is 16 bytes; the last 7 bytes (member ts) are not read",
      'error metrics.counters[0].labels[1]: label ts starts at offset 1, in the 7 padding bytes after member op; member ts starts at offset 8: label op needs padding: 7',
    ],
  },
  { name: 'a label that takes the hole into its value', key: hole, labels: [['op', 8], ['ts', 8]], expect: ['warning metrics.counters[0].labels[0]: label op reads 7 padding bytes as part of its value: size: 1, padding: 7 would skip them'] },
  {
    name: 'labels swapped against the members they are named after',
    key: pair,
    labels: [['tid', 4], ['pid', 4]],
    expect: [
      "error metrics.counters[0].labels[0]: label tid reads member pid at offset 0, but member tid is at offset 4: are the labels in the struct's order?",
      "error metrics.counters[0].labels[1]: label pid reads member tid at offset 4, but member pid is at offset 0: are the labels in the struct's order?",
    ],
  },
  { name: 'one label over two members', key: pair, labels: [['both', 8]], expect: ['warning metrics.counters[0].labels[0]: label both spans 2 members: pid, tid'] },
  {
    name: 'a label that starts inside a member',
    key: struct('inside_key', [
      ['a', int(2)],
      ['b', int(2)],
    ]),
    labels: [['a', 1], ['b', 3]],
    expect: [
      'warning metrics.counters[0].labels[0]: label a reads the first 1 byte of member a (u16, offset 0, 2 bytes); on a big-endian CPU those are its high bytes',
      'error metrics.counters[0].labels[1]: label b starts at offset 1, inside member a (u16, offset 0, 2 bytes)',
    ],
  },
  {
    name: 'more label bytes than the key has',
    key: pair,
    labels: [['pid', 4], ['tid', 4], ['extra', 4]],
    expect: [
      "error metrics.counters[0].labels: labels take 12 bytes (sizes plus paddings) but map things_total's key struct pair_key is 8 bytes",
      'error metrics.counters[0].labels[2]: label extra starts at offset 8, past the end of struct pair_key (8 bytes)',
    ],
  },
  {
    name: 'the low half of a u64',
    key: struct('cgroup_key', [['cgroup', int(8)]]),
    labels: [['cgroup', 4, 4]],
    expect: ['warning metrics.counters[0].labels[0]: label cgroup reads the first 4 bytes of member cgroup (u64, offset 0, 8 bytes); on a big-endian CPU those are its high bytes'],
  },
  {
    name: "padding over a member no label reads (explicit pad members don't count)",
    key: struct('skip_key', [
      ['a', int(4)],
      ['b', int(4)],
      ['c', int(1)],
      ['pad', array(int(1), 3)],
    ]),
    labels: [['a', 4, 4], ['c', 1, 3]],
    expect: ["warning metrics.counters[0].labels[0]: label a's padding skips member b: no label reads it"],
  },
  {
    name: 'an explicit pad member is padding: a label that starts on it starts in padding',
    key: struct('pad_key', [
      ['proto', int(1)],
      ['pad', array(int(1), 3)],
      ['reason', int(4)],
    ]),
    labels: [['proto', 1], ['reason', 4]],
    expect: [
      "error metrics.counters[0].labels: labels take 5 bytes (sizes plus paddings) but map things_total's key struct pad_key is 8 bytes; the last 3 bytes (member reason) are not read",
      'error metrics.counters[0].labels[1]: label reason starts at offset 1, in the 3 padding bytes after member proto; member reason starts at offset 4: label proto needs padding: 3',
    ],
  },
  {
    name: 'decoders the member types argue against',
    key: struct('decoder_key', [
      ['comm', array(char(), 16)],
      ['addr', array(int(1), 16)],
      ['fn', pointer('void')],
      ['count', int(4)],
    ]),
    labels: [['comm', 16, 0, 'hex'], ['comm2', 16, 0, 'uint'], ['fn', 8, 0, 'uint'], ['count', 4, 4, 'string']],
    expect: [
      'warning metrics.counters[0].labels[1]: member addr is u8[16]: inet_ip (an address), string or hex decode byte arrays, uint does not',
      'warning metrics.counters[0].labels[2]: member fn is a pointer (void *): ksym names kernel addresses, uint reads it as a number',
      'warning metrics.counters[0].labels[3]: member count is u32, a number: string reads it as text',
    ],
  },
  { name: 'a char array decoded as a number', key: struct('comm_key', [['comm', array(char(), 16)]]), labels: [['comm', 16]], expect: ['warning metrics.counters[0].labels[0]: member comm is char[16], a C string: the string decoder reads it'] },
  {
    name: "a histogram whose bucket is not the key's last member",
    kind: 'histogram',
    key: struct('bucket_key', [
      ['op', int(4)],
      ['bucket', int(4)],
      ['extra', int(4)],
    ]),
    labels: [['op', 4], ['bucket', 4, 4]],
    expect: [
      "warning metrics.histograms[0].labels[1]: label bucket's padding skips member extra: no label reads it",
      "warning metrics.histograms[0].labels[1]: bucket label bucket does not read the key's last member extra: the bucket index is expected there",
    ],
  },
  {
    name: 'a bitfield',
    key: struct('bits_key', [
      ['low', int(4), { offset: 0, bitOffset: 0, bitSize: 4 }],
      ['high', int(4), { offset: 0, bitOffset: 4, bitSize: 28 }],
      ['c', int(4)],
    ]),
    labels: [['low', 4], ['c', 4]],
    expect: ['warning metrics.counters[0].labels[0]: label low spans 2 members: low, high', 'warning metrics.counters[0].labels[0]: member low is a bitfield: label low reads whole bytes, its neighbours\' bits included'],
  },
  {
    name: 'nested structs are checked member by member',
    key: struct('flow_key', [
      [
        'addrs',
        struct('addrs', [
          ['saddr', int(4)],
          ['daddr', int(4)],
        ]),
      ],
      ['port', int(2)],
    ]),
    labels: [['saddr', 4, 0, 'inet_ip'], ['daddr', 4, 0, 'inet_ip'], ['port', 2, 2]],
    expect: [],
  },
  { name: 'a plain number key', key: int(8), labels: [['syscall', 8]], expect: [] },
  {
    name: 'a plain number key read short',
    key: int(8),
    labels: [['syscall', 4]],
    expect: [
      "error metrics.counters[0].labels: labels take 4 bytes (sizes plus paddings) but map things_total's key u64 is 8 bytes; the last 4 bytes (member (key)) are not read",
      'warning metrics.counters[0].labels[0]: label syscall reads the first 4 bytes of member (key) (u64, offset 0, 8 bytes); on a big-endian CPU those are its high bytes',
    ],
  },
  { name: 'a per-CPU map: the cpu label is not in the key', key: struct('vec_key', [['vec', int(4)]]), mapType: 'percpu_hash', labels: [['vec', 4], ['cpu', 2]], expect: [] },
  { name: 'no BTF for the key: left to the size check', key: undefined, labels: [['anything', 3]], expect: [] },
  { name: 'a label-less metric reads index 0 of an array', key: int(4), mapType: 'array', labels: [], expect: [] },
];

describe('checkLabelLayouts', () => {
  it.each(cases)('$name', ({ key, labels, kind, mapType, expect: expected }) => {
    const options = { ...(kind ? { kind } : {}), ...(mapType ? { mapType } : {}) };
    expect(findings(key, labels, options)).toEqual(expected);
  });

  it('names the file and line of the label, and prints the layout once per metric', () => {
    const config = parseConfig(configYaml('counter', [['op', 1], ['ts', 8]]), 'things.yaml');
    const result = checkLabelLayouts(config, [mapTypes('things_total', hole)]);
    expect(result.map((finding) => finding.error.message.split(': ')[0])).toEqual(['things.yaml:3:7', 'things.yaml:10:11']);
    expect(formatLayoutFindings(result)).toBe(
      [
        "things.yaml:3:7: metrics.counters[0].labels: labels take 9 bytes (sizes plus paddings) but map things_total's key struct hole_key is 16 bytes; the last 7 bytes (member ts) are not read",
        'things.yaml:10:11: metrics.counters[0].labels[1]: label ts starts at offset 1, in the 7 padding bytes after member op; member ts starts at offset 8: label op needs padding: 7',
        'struct hole_key {',
        '    u8 op;                               /*     0     1 */  <- op',
        '    /* XXX 7 bytes hole, try to pack */  /*     1     7 */  <- ts',
        '    u64 ts;                              /*     8     8 */  <- ts',
        '',
        '    /* size: 16, cachelines: 1, members: 2 */',
        '    /* sum members: 9, holes: 1, sum holes: 7 */',
        '};',
      ].join('\n'),
    );
  });

  it.each([
    { value: '{ offset: 0, size: 8 }', expect: [] },
    { value: '{ offset: 8, size: 4 }', expect: [] },
    { value: '{ offset: 4, size: 4 }', expect: ['error metrics.counters[0].value: 4 bytes at offset 4 do not start a member of struct stats'] },
    { value: '{ offset: 8, size: 8 }', expect: ['error metrics.counters[0].value: reads 8 bytes at offset 8, but member packets (u32, offset 8, 4 bytes) is 4 bytes'] },
  ])('checks value $value against the struct value', ({ value, expect: expected }) => {
    const config = parseConfig(`metrics:\n  counters:\n    - name: things_total\n      help: Things\n      value: ${value}\n`, 'things.yaml');
    const stats = struct('stats', [
      ['bytes', int(8)],
      ['packets', int(4)],
    ]);
    const found = checkLabelLayouts(config, [mapTypes('things_total', int(4), { type: 'array', maxEntries: 1, value: stats, valueSize: 16 })]);
    expect(found.map((finding) => `${finding.severity} ${finding.error.field}: ${finding.error.problem}`)).toEqual(expected);
  });

  it('leaves perf_event_array counters alone: their labels read records, not keys', () => {
    const config = parseConfig(
      'metrics:\n  counters:\n    - name: things_total\n      help: Things\n      perf_event_array: true\n      labels:\n        - { name: x, size: 3, decoders: [{ name: uint }] }\n',
      'things.yaml',
    );
    expect(checkLabelLayouts(config, [mapTypes('things_total', int(4), { type: 'perf_event_array' })])).toEqual([]);
  });
});
