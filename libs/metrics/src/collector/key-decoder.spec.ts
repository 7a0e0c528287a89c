import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse-config';
import { SKIP } from '../decoders/decoder';
import { createDecoderRegistry } from '../decoders/registry';
import { hostlessEnvironment } from '../testing/hostless-environment';
import { decodeRecord } from './key-decoder';

// Host lookups are not needed by these decoders; the environment only has to exist.
const registry = createDecoderRegistry(hostlessEnvironment());

const [counter] = parseConfig(
  `metrics:
  counters:
    - name: oom_kills_total
      help: OOM kills
      perf_event_array: true
      labels:
        - { name: pid, size: 4, padding: 4, decoders: [{ name: uint }] }
        - { name: comm, size: 8, decoders: [{ name: string }, { name: regexp, regexps: ['^[a-z]+'] }] }
`,
  'oomkill.yaml',
).metrics.counters;
const labels = counter?.labels ?? [];

describe('decodeRecord', () => {
  it('decodes a record cut to the label size, label names sorted', () => {
    const record = Uint8Array.from([0x39, 0x05, 0, 0, 0xff, 0xff, 0xff, 0xff, ...new TextEncoder().encode('java\0\0\0\0'), 0xaa, 0xbb]);
    expect(decodeRecord(registry, labels, record)).toEqual({ labelNames: ['comm', 'pid'], labelValues: ['java', '1337'] });
  });

  it('passes on skips and rejects short records', () => {
    const skipped = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, ...new TextEncoder().encode('1234\0\0\0\0')]);
    expect(decodeRecord(registry, labels, skipped)).toBe(SKIP);
    expect(() => decodeRecord(registry, labels, new Uint8Array(15))).toThrow('record has 15 bytes, labels need 16');
  });
});
