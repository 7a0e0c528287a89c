import { labelArenaOf, renderLabelPairs, type LabelArena, type MetricFamily } from '@ebpf-exporter/metrics';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HISTORY_MAX_BYTES } from './dashboard-plugin';
import { MetricHistory } from './metric-history';

const bounds = [0.001, 0.002, 0.004];

/** A histogram family whose `sda` series has seen `n` observations per bucket so far. */
function latency(n: number, devices: readonly string[] = ['sda']): MetricFamily {
  return {
    name: 'ebpf_exporter_bio_latency_seconds',
    help: 'h',
    type: 'histogram',
    series: devices.map((device) => ({
      labelNames: ['device'],
      labelValues: [device],
      buckets: bounds.map((upperBound, i) => ({ upperBound, cumulativeCount: n * (i + 1) })),
      sum: 0,
      count: n * 4,
    })),
  };
}

function gauge(values: Record<string, number>): MetricFamily {
  return {
    name: 'ebpf_exporter_tcp_sockets',
    help: 'h',
    type: 'gauge',
    series: Object.entries(values).map(([state, value]) => ({ labelNames: ['state'], labelValues: [state], value })),
  };
}

/** A per-CPU histogram: CPU `c` sees `n * (c + 1)` observations per bucket step so far. */
function perCpuLatency(n: number, cpus: number): MetricFamily {
  return {
    name: 'ebpf_exporter_softirq_wait_seconds',
    help: 'h',
    type: 'histogram',
    series: Array.from({ length: cpus }, (_, cpu) => ({
      labelNames: ['kind', 'cpu'],
      labelValues: ['timer', String(cpu)],
      buckets: bounds.map((upperBound, i) => ({ upperBound, cumulativeCount: n * (cpu + 1) * (i + 1) })),
      sum: 0,
      count: n * (cpu + 1) * 4,
    })),
  };
}

function counter(values: Record<string, number>): MetricFamily {
  return {
    name: 'ebpf_exporter_timer_starts_total',
    help: 'h',
    type: 'counter',
    series: Object.entries(values).map(([fn, value]) => ({ labelNames: ['function'], labelValues: [fn], value })),
  };
}

/**
 * A counter family as a collector that keeps its label sets across scrapes produces it: columns, and
 * `series` objects the history must not ask for (building them is what made large maps slow).
 */
/** Like a collector replaying an unchanged map, the same texts array gives the same arena again. */
const arenas = new WeakMap<readonly string[], LabelArena>();

function columnar(name: string, labelNames: readonly string[], labelTexts: readonly string[], values: Float64Array): MetricFamily {
  let labels = arenas.get(labelTexts);
  if (!labels) arenas.set(labelTexts, (labels = labelArenaOf(labelTexts)));
  return {
    name,
    help: 'h',
    type: 'counter',
    columns: { labelNames, labels, values },
    get series(): never {
      throw new Error('the history read the series objects of a columnar family');
    },
  };
}

describe('MetricHistory', () => {
  it('answers sum by (le) (rate(x_bucket[w])) from the recorded samples', () => {
    const history = new MetricHistory({ windowSeconds: 60, resolutionSeconds: 5, maxBytes: 1 << 20 });
    // Each of the two devices gains 10 observations per bucket step every 5 s.
    for (let i = 0; i <= 12; i++) history.record(1000 + 5 * i, [latency(10 * i, ['sda', 'sdb'])]);
    const matrix = history.bucketRates({ metric: 'ebpf_exporter_bio_latency_seconds', filters: {}, start: 1050, end: 1060, step: 5, window: 10 });
    expect(matrix.upperBounds).toEqual([...bounds, Number.POSITIVE_INFINITY]);
    // Bucket k of one device grows by 10*(k+1) per 5 s = 2*(k+1)/s; two devices double it.
    expect(matrix.cumulativeRates).toEqual([[4, 4, 4], [8, 8, 8], [12, 12, 12], [16, 16, 16]]);
    const sdaOnly = history.bucketRates({ metric: 'ebpf_exporter_bio_latency_seconds', filters: { device: 'sda' }, start: 1060, end: 1060, step: 5, window: 10 });
    expect(sdaOnly.cumulativeRates.map((r) => r[0])).toEqual([2, 4, 6, 8]);
  });

  it('ranks counter label sets by rate and keeps the top ones', () => {
    const history = new MetricHistory({ windowSeconds: 60, resolutionSeconds: 1, maxBytes: 1 << 20 });
    for (let t = 0; t <= 10; t++) history.record(t, [counter({ busy: 100 * t, idle: t, medium: 10 * t })]);
    const result = history.scalarSeries({ metric: 'ebpf_exporter_timer_starts_total', filters: {}, start: 5, end: 10, step: 5, window: 5 }, 2);
    expect(result.series).toEqual([
      { labels: { function: 'busy' }, values: [100, 100] },
      { labels: { function: 'medium' }, values: [10, 10] },
    ]);
    expect(history.labelValues('ebpf_exporter_timer_starts_total')).toEqual({ function: ['busy', 'idle', 'medium'] });
  });

  it("answers a gauge's own values, latest sample per step, where a counter gets rates", () => {
    const history = new MetricHistory({ windowSeconds: 60, resolutionSeconds: 1, maxBytes: 1 << 20 });
    const levels = [5, 9, 2, 2, 7, 0, 4];
    // Sampled every 2 s; the same values as a counter would read as rates with resets.
    levels.forEach((level, i) => history.record(2 * i, [gauge({ established: level, listen: 1 }), counter({ f: level })]));
    const query = { filters: {}, start: 4, end: 12, step: 1, window: 4 };
    const values = history.scalarSeries({ ...query, metric: 'ebpf_exporter_tcp_sockets' }, 10);
    expect(values.series).toEqual([
      // 4..12 s: the sample at or before each second.
      { labels: { state: 'established' }, values: [2, 2, 2, 2, 7, 7, 0, 0, 4] },
      { labels: { state: 'listen' }, values: [1, 1, 1, 1, 1, 1, 1, 1, 1] },
    ]);
    const rates = history.scalarSeries({ ...query, metric: 'ebpf_exporter_timer_starts_total' }, 10);
    // At 4 s the window (0, 4] holds 9 then 2: a counter reset, +2 over 2 s.
    expect(rates.series[0]?.values[0]).toBe(1);
  });

  it('sums a per-CPU histogram over CPUs, or gives one CPU when filtered on cpu', () => {
    const history = new MetricHistory({ windowSeconds: 60, resolutionSeconds: 5, maxBytes: 1 << 20 });
    for (let i = 0; i <= 4; i++) history.record(1000 + 5 * i, [perCpuLatency(10 * i, 3)]);
    const query = { metric: 'ebpf_exporter_softirq_wait_seconds', start: 1020, end: 1020, step: 5, window: 10 };
    // CPU c's bucket k grows by 10 * (c + 1) * (k + 1) per 5 s = 2 * (c + 1) * (k + 1) per second.
    const summed = history.bucketRates({ ...query, filters: {} });
    expect(summed.cumulativeRates.map((r) => r[0])).toEqual([12, 24, 36, 48]);
    const perCpu = ['0', '1', '2'].map((cpu) => history.bucketRates({ ...query, filters: { cpu } }).cumulativeRates.map((r) => r[0]));
    expect(perCpu).toEqual([[2, 4, 6, 8], [4, 8, 12, 16], [6, 12, 18, 24]]);
    expect(history.labelValues('ebpf_exporter_softirq_wait_seconds')).toEqual({ kind: ['timer'], cpu: ['0', '1', '2'] });
  });

  it('keeps memory within its byte budget: fixed rings, churned series forgotten, new ones refused when full', () => {
    const limits = { windowSeconds: 50, resolutionSeconds: 5, maxBytes: 32 * 1024 };
    const history = new MetricHistory(limits);
    expect(history.capacity).toBe(11);
    const maxValues = limits.maxBytes / 8;
    // Every sample brings 5 never-seen-before label values (short-lived cgroups, say) for 1000 samples.
    for (let i = 0; i < 1000; i++) {
      const devices = Array.from({ length: 5 }, (_, k) => `dev${i * 5 + k}`);
      history.record(i * 5, [latency(i, devices), counter({ [`fn${i}`]: i })]);
      expect(history.storedValues()).toBeLessThanOrEqual(maxValues);
    }
    // Series unseen for a window are dropped, so the newest ones still get recorded.
    expect(history.labelValues('ebpf_exporter_bio_latency_seconds').device).toContain('dev4999');
    // The rings are the memory: their real size matches the accounting.
    const histogramSeries = history.labelValues('ebpf_exporter_bio_latency_seconds').device?.length ?? 0;
    const counterSeries = history.labelValues('ebpf_exporter_timer_starts_total').function?.length ?? 0;
    expect(history.storedValues()).toBe(history.capacity * (histogramSeries * (bounds.length + 1) + counterSeries));

    const flood = new MetricHistory(limits);
    flood.record(0, [latency(1, Array.from({ length: 1000 }, (_, k) => `dev${k}`))]);
    const fitting = Math.floor(maxValues / (flood.capacity * (bounds.length + 1)));
    expect(flood.seriesCount()).toBe(fitting);
    expect(flood.droppedSeries).toBe(1000 - fitting);
  });

  it('gives the same answers for a family read from columns as for the same series as objects', () => {
    const name = 'ebpf_exporter_syscalls_total';
    const labelNames = ['comm', 'cpu'];
    const labelSets = [['bash', '0'], ['bash', '1'], ['cron', '0'], ['we"ird\\comm\n', '1'], ['zsh', '0']];
    // A collector replaying an unchanged map hands out the same texts array again.
    const textArrays = new Map<string, string[]>();
    const labelTextsOf = (present: readonly string[][]) => {
      const key = JSON.stringify(present);
      if (!textArrays.has(key)) textArrays.set(key, present.map((values) => renderLabelPairs(labelNames, values)));
      return textArrays.get(key) as string[];
    };
    // Series come and go: `cron` leaves after t = 4, `zsh` arrives at t = 8, `bash/1` is away for t = 10..12.
    const samples = Array.from({ length: 30 }, (_, t) => {
      const present = labelSets.filter(([comm, cpu]) => (comm !== 'cron' || t <= 4) && (comm !== 'zsh' || t >= 8) && (comm !== 'bash' || cpu !== '1' || t < 10 || t > 12));
      return { t, present, values: present.map((_, k) => t * 10 * (k + 1)) };
    });
    // Generous, then room for three series of 21 samples: admissions and refusals must match too.
    for (const maxBytes of [1 << 20, 3 * 21 * 8]) {
      const limits = { windowSeconds: 20, resolutionSeconds: 1, maxBytes };
      const fromColumns = new MetricHistory(limits);
      const fromObjects = new MetricHistory(limits);
      for (const { t, present, values } of samples) {
        fromColumns.record(t, [columnar(name, labelNames, labelTextsOf(present), Float64Array.from(values))]);
        const series = present.map((labelValues, k) => ({ labelNames, labelValues, value: values[k] as number }));
        fromObjects.record(t, [{ name, help: 'h', type: 'counter', series }]);
        expect(fromColumns.labelValues(name)).toEqual(fromObjects.labelValues(name));
      }
      const query = { metric: name, filters: {}, start: 0, end: 29, step: 1, window: 3 };
      expect(fromColumns.scalarSeries(query, 10)).toEqual(fromObjects.scalarSeries(query, 10));
      const filtered = { ...query, filters: { comm: 'we"ird\\comm\n' } };
      expect(fromColumns.scalarSeries(filtered, 10)).toEqual(fromObjects.scalarSeries(filtered, 10));
      expect(fromColumns.scalarSeries(filtered, 10).series).toHaveLength(1);
      for (const stat of ['seriesCount', 'storedValues'] as const) expect(fromColumns[stat]()).toBe(fromObjects[stat]());
      expect(fromColumns.droppedSeries).toBe(fromObjects.droppedSeries);
    }
  });

  it('records a million-series columnar family within its budget, reading only the series it stores', () => {
    const limits = { windowSeconds: 3600, resolutionSeconds: 5, maxBytes: DEFAULT_HISTORY_MAX_BYTES };
    const history = new MetricHistory(limits);
    const fitting = Math.floor(limits.maxBytes / 8 / history.capacity);
    const name = 'ebpf_exporter_pid_syscalls_total';
    const labelNames = ['comm', 'pid'];
    const count = 1_000_000;
    const labelTexts = Array.from({ length: count }, (_, i) => renderLabelPairs(labelNames, [`proc${i % 977}`, String(100_000 + i)]));
    // The map changes once: the first pid exits and a new one sorts before all the others.
    const changed = [renderLabelPairs(labelNames, ['aaa', '1']), ...labelTexts.slice(1)];
    const timings: number[] = [];
    let expectedDropped = 0;
    for (let sample = 0; sample < 8; sample++) {
      const texts = sample < 4 ? labelTexts : changed;
      const values = new Float64Array(count).map((_, i) => sample * (i % 100));
      const started = performance.now();
      history.record(5 * sample, [columnar(name, labelNames, texts, values)]);
      timings.push(performance.now() - started);
      // The exited pid keeps its ring (absent, then forgotten after a window); the new one finds no room.
      expectedDropped += count - (sample < 4 ? fitting : fitting - 1);
      expect(history.seriesCount()).toBe(fitting);
      expect(history.storedValues()).toBeLessThanOrEqual(limits.maxBytes / 8);
      expect(history.droppedSeries).toBe(expectedDropped);
    }
    // Every stored series kept its samples across the change, though each moved one position.
    const query = { metric: name, filters: { pid: '100042' }, start: 5, end: 35, step: 5, window: 10 };
    expect(history.scalarSeries(query, 10).series).toEqual([{ labels: { comm: 'proc42', pid: '100042' }, values: Array(7).fill(42 / 5) }]);
    const ms = (from: number, to: number) => (timings.slice(from, to).reduce((a, b) => a + b, 0) / (to - from)).toFixed(1);
    console.log(
      `MetricHistory.record, ${count} columnar series, ${fitting} stored: first ${ms(0, 1)} ms, unchanged ${ms(1, 4)} ms, changed ${ms(4, 5)} ms, then ${ms(5, 8)} ms`,
    );
  });

  it('tells since when it collects, its oldest sample still held and its newest, also once the ring wrapped', () => {
    const history = new MetricHistory({ windowSeconds: 10, resolutionSeconds: 5, maxBytes: 1 << 20 });
    expect(history.sampleTimes()).toBeUndefined();
    history.record(100, [latency(1)]);
    expect(history.sampleTimes()).toEqual({ first: 100, oldest: 100, newest: 100 });
    // Capacity is 10 / 5 + 1 = 3 samples: the fifth overwrites the first two.
    for (const t of [105, 110, 115, 120]) history.record(t, [latency(t)]);
    expect(history.sampleTimes()).toEqual({ first: 100, oldest: 110, newest: 120 });
  });

  it('rejects a window shorter than the resolution with one clear message', () => {
    expect(() => new MetricHistory({ windowSeconds: 1, resolutionSeconds: 5, maxBytes: 1024 })).toThrow(/window \(1s\) must be at least the resolution \(5s\)/);
  });
});
