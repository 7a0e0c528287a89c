// Map keys are attacker-controlled (comm, cgroup names, packet bytes), so every decoder and the collector
// around them are fed random bytes of random sizes. Seeded and bounded: the same cases on every run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigCollector } from '../collector/config-collector';
import { parseConfig } from '../config/parse-config';
import type { DecoderConfig } from '../config/types';
import { formatOpenMetrics, formatText } from '../exposition/text-format';
import { RecordedMapSource } from '../testing/recorded-map-source';
import { SKIP, type DecoderEnvironment } from './decoder';
import { DECODER_NAMES, type DecoderName } from './decoder-names';
import { compileGoRegexp } from './go-regexp';
import { createDecoderRegistry } from './registry';

const RUNS = { seed: 20261202, numRuns: 400 };
/** Half of a surrogate pair: text that is not valid Unicode, which the exposition could not encode. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// A fake host with a little of everything, so lookups find something as well as nothing.
const ENVIRONMENT: DecoderEnvironment = {
  littleEndian: true,
  arch: 'x86_64',
  kallsyms: () => 'ffffffff81000000 T _stext\nffffffff81002000 t run_timer_softirq\nffffffffc0a01000 t xfs_file_read_iter\t[xfs]\nnot a line',
  partitions: () => 'major minor  #blocks  name\n\n   8        0  1000 sda\n 259        1  1000 nvme0n1p1\n',
  ifname: (index) => (index === 1 ? 'lo' : undefined),
  cgroupPath: (id) => (id === 1n ? '/sys/fs/cgroup' : undefined),
  pciIds: () => '8086  Intel Corporation\n\t1234  Some device\n\t\t8086 0001  Subsystem\nC 02  Network controller\n\t00  Ethernet controller\n',
};

/** Decoders that read a number: upstream configs put `uint` before them. */
const AFTER_UINT = new Set<DecoderName>(['cgroup', 'errno', 'syscall', 'pci_vendor', 'pci_device', 'pci_class', 'pci_subclass', 'static_map']);

const decoderConfig = (name: DecoderName, extra: Partial<DecoderConfig> = {}): DecoderConfig => ({ name, allowUnknown: false, regexps: [], ...extra });

const arbitraryChain = fc
  .record({
    name: fc.constantFrom(...DECODER_NAMES),
    afterUint: fc.boolean(),
    staticKeys: fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
    allowUnknown: fc.boolean(),
    pattern: fc.constantFrom('^(\\d+)$', '(a+)+$', '^[[:alpha:]]+', '.*', '(\\pL)(\\d)', '^\\x00'),
  })
  .map(({ name, afterUint, staticKeys, allowUnknown, pattern }) => {
    const decoder = decoderConfig(name, {
      allowUnknown,
      staticMap: name === 'static_map' ? new Map(staticKeys.map((key) => [key, `v${key}`])) : undefined,
      regexps: name === 'regexp' ? [compileGoRegexp(pattern)] : [],
    });
    return (afterUint || AFTER_UINT.has(name)) && name !== 'uint' ? [decoderConfig('uint'), decoder] : [decoder];
  });

/** A decoder may reject its input, with an Error the collector counts; anything else is a bug. */
function expectCleanOutcome(run: () => string | typeof SKIP): void {
  let outcome: string | typeof SKIP;
  try {
    outcome = run();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).constructor).toBe(Error);
    return;
  }
  if (outcome !== SKIP) {
    expect(typeof outcome).toBe('string');
    expect(outcome).not.toMatch(LONE_SURROGATE);
  }
}

describe('decoders under random input', () => {
  const registry = createDecoderRegistry(ENVIRONMENT);

  it('every decoder chain either decodes, skips, or throws a plain Error', () => {
    fc.assert(
      fc.property(arbitraryChain, fc.uint8Array({ maxLength: 300 }), (chain, bytes) => {
        expectCleanOutcome(() => registry.decode(bytes, chain));
      }),
      RUNS,
    );
  });

  it('every decoder takes bytes of every size up to 33, one at a time', () => {
    for (const name of DECODER_NAMES) {
      for (let size = 0; size <= 33; size++) {
        const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 37 + size) & 0xff);
        const chain = AFTER_UINT.has(name) ? [decoderConfig('uint'), decoderConfig(name)] : [decoderConfig(name, name === 'regexp' ? { regexps: [compileGoRegexp('.')] } : {})];
        expectCleanOutcome(() => registry.decode(bytes, chain));
      }
    }
  });
});

describe('the collector under random keys', () => {
  const LAYOUT = fc.array(
    fc.record({ size: fc.integer({ min: 1, max: 20 }), padding: fc.integer({ min: 0, max: 3 }), decoder: fc.constantFrom('uint', 'string', 'hex', 'inet_ip', 'ksym', 'dname', 'majorminor', 'ifname') }),
    { minLength: 1, maxLength: 3 },
  );

  it('a scrape of random keys never fails as a whole, and its exposition stays one sample per line', async () => {
    await fc.assert(
      fc.asyncProperty(LAYOUT, fc.integer({ min: 0, max: 40 }), fc.array(fc.uint8Array({ minLength: 64, maxLength: 64 }), { maxLength: 20 }), async (labels, keySize, keys) => {
        const yaml = `metrics:\n  counters:\n    - name: fuzz_total\n      help: Fuzz\n      labels:\n${labels
          .map((label, index) => `        - { name: l${index}, size: ${label.size}, padding: ${label.padding}, decoders: [{ name: ${label.decoder} }] }`)
          .join('\n')}\n`;
        const collector = new ConfigCollector(parseConfig(yaml, 'fuzz.yaml'), createDecoderRegistry(ENVIRONMENT));
        const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
        const entries: [string, string][] = keys.map((key) => [hex(key.subarray(0, keySize)), hex(key.subarray(0, 8))]);
        const source = new RecordedMapSource({ fuzz: { fuzz_total: { type: 'hash', keySize, valueSize: 8, entries } } });
        const result = await collector.collect(source);
        for (const { error } of result.errors) expect(error).toBeInstanceOf(Error);
        for (const text of [formatText(result.families), formatOpenMetrics(result.families)]) {
          for (const line of text.split('\n')) {
            if (line === '' || line.startsWith('#')) continue;
            expect(line).toMatch(/^ebpf_exporter_fuzz_total(?:\{(?:l\d="(?:[^"\\\n]|\\.)*",?)+\})? \S+$/);
          }
        }
      }),
      { ...RUNS, numRuns: 150 },
    );
  });
});
