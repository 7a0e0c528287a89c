import { describe, expect, it } from 'vitest';
import type { MetricExpectation } from './expectations';
import { exposedTypes, parseExposition } from './exposition';
import { checkMetrics, labelsMatch } from './metric-checks';

const counter = (overrides: Partial<MetricExpectation> = {}): MetricExpectation => ({
  name: 'ebpf_exporter_syscalls_total',
  type: 'counter',
  series: [{ syscall: 'openat' }],
  known: [],
  only: {},
  ...overrides,
});

const histogram = (overrides: Partial<MetricExpectation> = {}): MetricExpectation => ({
  name: 'ebpf_exporter_lat_seconds',
  type: 'histogram',
  series: [{ device: '/^loop\\d+$/' }],
  known: ['device'],
  only: {},
  ...overrides,
});

const histogramText = (bucketCounts: number[], count: number, device = 'loop0') =>
  [
    ...bucketCounts.map((value, i) => `ebpf_exporter_lat_seconds_bucket{device="${device}",le="${2 ** i * 1e-6}"} ${value}`),
    `ebpf_exporter_lat_seconds_bucket{device="${device}",le="+Inf"} ${bucketCounts.at(-1)}`,
    `ebpf_exporter_lat_seconds_sum{device="${device}"} 0.0001`,
    `ebpf_exporter_lat_seconds_count{device="${device}"} ${count}`,
  ].join('\n');

describe('labelsMatch', () => {
  it('compares literals exactly and /regexps/ by search', () => {
    expect(labelsMatch({ a: 'loop0' }, { a: '/^loop\\d+$/' })).toBe(true);
    expect(labelsMatch({ a: 'loop0' }, { a: 'loop' })).toBe(false);
    expect(labelsMatch({ a: 'x' }, { b: 'x' })).toBe(false);
    expect(labelsMatch({ a: 'x' }, {})).toBe(true);
  });
});

describe('checkMetrics: counters', () => {
  it('passes a non-zero matching series', () => {
    expect(checkMetrics(parseExposition('ebpf_exporter_syscalls_total{syscall="openat"} 4'), [counter()])).toEqual([]);
  });

  it('fails on a missing family, a zero value, an undecoded label and a stray series', () => {
    expect(checkMetrics([], [counter()])).toEqual(['ebpf_exporter_syscalls_total: no series at all']);
    expect(checkMetrics(parseExposition('ebpf_exporter_syscalls_total{syscall="openat"} 0'), [counter()])[0]).toMatch(/no non-zero series/);
    const text = 'ebpf_exporter_syscalls_total{syscall="openat"} 1\nebpf_exporter_syscalls_total{syscall="unknown_syscall:999"} 1';
    expect(checkMetrics(parseExposition(text), [counter({ known: ['syscall'] })])).toEqual([
      'ebpf_exporter_syscalls_total{syscall="unknown_syscall:999"}: label syscall was not decoded',
    ]);
    expect(checkMetrics(parseExposition(text), [counter({ only: { syscall: '/^[a-z]+$/' } })])[0]).toMatch(/does not match/);
  });
});

describe('checkMetrics: histograms', () => {
  it('passes cumulative buckets whose +Inf equals _count', () => {
    expect(checkMetrics(parseExposition(histogramText([1, 3, 3, 5], 5)), [histogram()])).toEqual([]);
  });

  it('catches non-cumulative buckets and a _count that disagrees with +Inf', () => {
    const problems = checkMetrics(parseExposition(histogramText([1, 3, 2, 5], 6)), [histogram()]);
    expect(problems).toEqual([
      expect.stringMatching(/_count 6 differs from the \+Inf bucket 5/),
      expect.stringMatching(/buckets not cumulative \(le=0.000002: 3, le=0.000004: 2\)/),
    ]);
  });

  it('requires a non-zero count and decoded labels', () => {
    const empty = checkMetrics(parseExposition(histogramText([0, 0], 0)), [histogram()]);
    expect(empty[0]).toMatch(/no non-zero series matching/);
    const unknown = checkMetrics(parseExposition(histogramText([1, 1], 1, 'unknown:7:9')), [histogram({ series: [{}] })]);
    expect(unknown).toEqual([expect.stringMatching(/label device was not decoded/)]);
  });
});

describe('checkMetrics: gauges', () => {
  const gauge: MetricExpectation = { name: 'ebpf_exporter_tcp_sockets', type: 'gauge', series: [{ state: 'established' }], known: [], only: {} };
  const text = (value: number, type = 'gauge') => `# TYPE ebpf_exporter_tcp_sockets ${type}\nebpf_exporter_tcp_sockets{state="established"} ${value}`;
  const check = (exposition: string) => checkMetrics(parseExposition(exposition), [gauge], exposedTypes(exposition));

  it('takes any non-zero level, below zero included, of a family exposed as a gauge', () => {
    expect(check(text(16))).toEqual([]);
    expect(check(text(-4))).toEqual([]);
    expect(check(text(0))[0]).toMatch(/no non-zero series/);
  });

  it('refuses a family exposed as another type', () => {
    expect(check(text(3, 'counter'))).toEqual(['ebpf_exporter_tcp_sockets: exposed as counter, not gauge']);
  });
});
