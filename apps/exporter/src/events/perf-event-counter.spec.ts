import { createDecoderRegistry, parseConfig } from '@ebpf-exporter/metrics';
import { describe, expect, it } from 'vitest';
import { hostDecoderEnvironment } from '../host-environment';
import { PerfEventCounter } from './perf-event-counter';

const config = parseConfig(
  `metrics:
  counters:
    - name: signals_generated_total
      help: Signals
      perf_event_array: true
      labels:
        - { name: signal, size: 4, decoders: [{ name: uint }, { name: static_map, static_map: { 10: SIGUSR1, 15: SIGTERM } }] }
        - { name: comm, size: 8, decoders: [{ name: string }, { name: regexp, regexps: ['^(sleep|bash)$'] }] }
`,
  'signals.yaml',
);
const counterConfig = config.metrics.counters[0]!;

/** A perf record as the kernel hands it over: the labels' bytes, then padding up to 8-byte alignment. */
function record(signal: number, comm: string): Uint8Array {
  const bytes = new Uint8Array(16);
  new DataView(bytes.buffer).setUint32(0, signal, true);
  bytes.set(new TextEncoder().encode(comm), 4);
  return bytes;
}

const newCounter = () => new PerfEventCounter(counterConfig, createDecoderRegistry(hostDecoderEnvironment()));

describe('PerfEventCounter', () => {
  it('counts each record once under its decoded labels, names sorted', () => {
    const counter = newCounter();
    for (let i = 0; i < 3; i++) counter.count(record(10, 'sleep'));
    counter.count(record(15, 'bash'));
    expect(counter.family()).toEqual({
      name: 'ebpf_exporter_signals_generated_total',
      help: 'Signals',
      type: 'counter',
      series: [
        { labelNames: ['comm', 'signal'], labelValues: ['sleep', 'SIGUSR1'], value: 3 },
        { labelNames: ['comm', 'signal'], labelValues: ['bash', 'SIGTERM'], value: 1 },
      ],
    });
  });

  it('drops records a decoder skipped and throws on records it cannot decode', () => {
    const counter = newCounter();
    counter.count(record(10, 'python3'));
    expect(counter.family().series).toEqual([]);
    expect(() => counter.count(record(10, 'sleep').subarray(0, 6))).toThrow('record has 6 bytes, labels need 12');
  });

  it('starts from nothing after reset, and hands out snapshots', () => {
    const counter = newCounter();
    counter.count(record(10, 'sleep'));
    const before = counter.family();
    counter.count(record(10, 'sleep'));
    expect(before.series[0]?.value).toBe(1);
    counter.reset();
    expect(counter.family().series).toEqual([]);
    counter.count(record(10, 'sleep'));
    expect(counter.family().series.map((s) => s.value)).toEqual([1]);
  });
});
