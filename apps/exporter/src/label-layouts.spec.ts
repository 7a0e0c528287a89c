// The layout check on real objects: testing/label-layouts.bpf.c compiled by clang for x86 and for arm64
// (each against its own vmlinux.h), its BTF read by the addon, configs with every kind of mistake. Only
// bpf_object__open runs, so no root and no kernel support is needed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BpfObject } from '@ebpf-exporter/bpf-native';
import type { MapTypes } from '@ebpf-exporter/map-types';
import { checkLabelLayouts, parseConfig, renderScaffold, scaffoldMetrics } from '@ebpf-exporter/metrics';
import { labelsConfigYaml, type LabelRow } from '@ebpf-exporter/metrics/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkObjectLayouts } from './label-layouts';
import type { Logger } from './logger';
import { compileLabelLayouts } from './testing/label-layouts-object';

const ARCHES = ['x86', 'arm64'] as const;
const objects = new Map<string, string>();

function mapTypesOf(path: string): MapTypes[] {
  const object = BpfObject.open(path);
  try {
    return object.mapTypes();
  } finally {
    object.close();
  }
}

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'label-layouts-'));
  for (const arch of ARCHES) {
    objects.set(arch, join(dir, `label-layouts-${arch}.bpf.o`));
    compileLabelLayouts(arch, objects.get(arch) as string);
  }
}, 120_000);

const objectFor = (arch: string): string => objects.get(arch) as string;

// Each row: a map of the fixture, the labels a YAML gives it, the findings (severity and the start of the message).
const cases: { map: string; labels: LabelRow[]; kind?: 'counter' | 'histogram'; expect: string[] }[] = [
  { map: 'hole_total', labels: [['op', 1, 7], ['ts', 8]], expect: [] },
  { map: 'hole_total', labels: [['op', 1], ['ts', 8]], expect: ['error labels take 9 bytes', 'error label ts starts at offset 1, in the 7 padding bytes after member op'] },
  { map: 'hole_total', labels: [['op', 8], ['ts', 8]], expect: ['warning label op reads 7 padding bytes as part of its value'] },
  { map: 'pair_total', labels: [['tid', 4], ['pid', 4]], expect: ['error label tid reads member pid at offset 0', 'error label pid reads member tid at offset 4'] },
  { map: 'pair_total', labels: [['both', 8]], expect: ['warning label both spans 2 members: pid, tid'] },
  { map: 'pair_total', labels: [['pid', 4], ['tid', 4], ['extra', 4]], expect: ['error labels take 12 bytes', 'error label extra starts at offset 8, past the end'] },
  { map: 'short_total', labels: [['a', 1], ['b', 3]], expect: ['warning label a reads the first 1 byte of member a', 'error label b starts at offset 1, inside member a'] },
  { map: 'padded_total', labels: [['proto', 1, 3], ['reason', 4]], expect: [] },
  { map: 'padded_total', labels: [['proto', 1], ['reason', 4]], expect: ['error labels take 5 bytes', 'error label reason starts at offset 1, in the 3 padding bytes after member proto'] },
  { map: 'tail_total', labels: [['cgroup', 8], ['cpu_id', 4, 4]], expect: [] },
  { map: 'tail_total', labels: [['cgroup', 8], ['cpu_id', 4]], expect: ['error labels take 12 bytes (sizes plus paddings) but map tail_total\'s key struct tail_key is 16 bytes'] },
  {
    map: 'typed_total',
    labels: [['comm', 16, 0, 'uint'], ['addr', 16, 0, 'uint'], ['function', 8, 0, 'uint'], ['count', 4, 4, 'string']],
    expect: ['warning member comm is char[16], a C string', 'warning member addr is u8[16]: inet_ip', 'warning member function is a pointer (void *)', 'warning member count is u32, a number'],
  },
  { map: 'typed_total', labels: [['comm', 16, 0, 'string'], ['addr', 16, 0, 'inet_ip'], ['function', 8, 0, 'ksym'], ['count', 4, 4]], expect: [] },
  { map: 'bucket_seconds', kind: 'histogram', labels: [['op', 4], ['bucket', 4, 4]], expect: ["warning label bucket's padding skips member extra", "warning bucket label bucket does not read the key's last member extra"] },
  { map: 'bits_total', labels: [['low', 4], ['c', 4]], expect: ['warning label low spans 2 members: low, high', 'warning member low is a bitfield'] },
  { map: 'flow_total', labels: [['saddr', 16, 0, 'inet_ip'], ['port', 2], ['proto', 1, 1]], expect: [] },
  { map: 'packed_total', labels: [['op', 1], ['ts', 8]], expect: [] },
  { map: 'packed_total', labels: [['op', 1, 7], ['ts', 8]], expect: ['error labels take 16 bytes', 'error label ts starts at offset 8, inside member ts'] },
  { map: 'sized_total', labels: [['anything', 3]], expect: [] },
];

describe.each(ARCHES)('label layouts on %s objects', (arch) => {
  it.each(cases)('$map with $labels', ({ map, labels, kind, expect: expected }) => {
    const config = parseConfig(labelsConfigYaml(kind ?? 'counter', map, labels), `${map}.yaml`);
    const found = checkLabelLayouts(config, mapTypesOf(objectFor(arch))).map((finding) => `${finding.severity} ${finding.error.problem}`);
    expect(found).toHaveLength(expected.length);
    found.forEach((text, index) => expect(text.startsWith(expected[index] as string), `${text}\n  should start with\n${expected[index]}`).toBe(true));
  });

  it('scaffolds a config for the fixture that the check passes without an error', () => {
    const maps = mapTypesOf(objectFor(arch));
    const config = parseConfig(renderScaffold('label-layouts.bpf.o', scaffoldMetrics(maps)), 'label-layouts.yaml');
    expect(config.metrics.counters.length + config.metrics.histograms.length).toBe(maps.filter((map) => map.key).length);
    expect(checkLabelLayouts(config, maps).flatMap((finding) => (finding.severity === 'error' ? [finding.error.message] : []))).toEqual([]);
  });
});

describe('the two architectures', () => {
  it('lay out every key alike: clang -target bpf follows the BPF ABI on both', () => {
    const [x86, arm64] = ARCHES.map((arch) => mapTypesOf(objectFor(arch)).filter((map) => !map.internal));
    expect(x86).toEqual(arm64);
    const hole = x86?.find((map) => map.name === 'hole_total')?.key;
    expect(hole?.kind === 'struct' && hole.members.map((member) => [member.name, member.offset, member.type.size])).toEqual([
      ['op', 0, 1],
      ['ts', 8, 8],
    ]);
    expect(x86?.find((map) => map.name === 'packed_total')?.keySize).toBe(9);
  });
});

describe('checkObjectLayouts (startup and --config.check)', () => {
  const warnings: string[] = [];
  const log = { warn: (message: string) => warnings.push(message), info: () => {}, debug: () => {} } as unknown as Logger;

  it('throws every error with its file, line and label and the struct as pahole prints it', () => {
    const config = parseConfig(labelsConfigYaml('counter', 'padded_total', [['proto', 1], ['reason', 4]]), 'examples/padded.yaml');
    const object = BpfObject.open(objectFor('x86'));
    try {
      expect(() => checkObjectLayouts(config, object, log)).toThrowError(
        [
          `labels do not match the key structs in ${config.name}.bpf.o:`,
          "examples/padded.yaml:3:7: metrics.counters[0].labels: labels take 5 bytes (sizes plus paddings) but map padded_total's key struct padded_key is 8 bytes; the last 3 bytes (member reason) are not read",
          'examples/padded.yaml:10:11: metrics.counters[0].labels[1]: label reason starts at offset 1, in the 3 padding bytes after member proto; member reason starts at offset 4: label proto needs padding: 3',
          'struct padded_key {',
          '    u8 proto;                            /*     0     1 */  <- proto',
          '    u8 pad[3];                           /*     1     3 */  <- reason',
          '    u32 reason;                          /*     4     4 */  <- reason',
          '',
          '    /* size: 8, cachelines: 1, members: 3 */',
          '};',
        ].join('\n'),
      );
    } finally {
      object.close();
    }
  });

  it('logs warnings and goes on', () => {
    const config = parseConfig(labelsConfigYaml('counter', 'pair_total', [['both', 8]]), 'pair.yaml');
    const object = BpfObject.open(objectFor('arm64'));
    try {
      checkObjectLayouts(config, object, log);
    } finally {
      object.close();
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('pair.yaml:6:11: metrics.counters[0].labels[0]: label both spans 2 members: pid, tid');
  });
});
