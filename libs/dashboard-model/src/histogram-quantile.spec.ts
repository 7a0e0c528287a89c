import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLe, parseLe } from './buckets';
import { histogramQuantile, type CumulativeBucket } from './histogram-quantile';
import { startPrometheus, type PrometheusServer } from '@ebpf-exporter/test-support';

const inf = Number.POSITIVE_INFINITY;
const b = (upperBound: number, count: number): CumulativeBucket => ({ upperBound, count });

/** Histograms chosen to hit every branch of Prometheus's bucketQuantile. */
const cases: Record<string, CumulativeBucket[]> = {
  exp2_latency: [b(1e-6, 0), b(2e-6, 3), b(4e-6, 10), b(8e-6, 10), b(1.6e-5, 42), b(3.2e-5, 50), b(inf, 50)],
  rank_in_inf_bucket: [b(1, 1), b(2, 2), b(inf, 100)],
  all_in_first_bucket: [b(0.5, 7), b(1, 7), b(inf, 7)],
  zero_first_bound: [b(0, 4), b(1, 6), b(2, 8), b(inf, 8)],
  negative_first_bound: [b(-1, 2), b(0, 3), b(1, 4), b(inf, 4)],
  empty_histogram: [b(1, 0), b(2, 0), b(inf, 0)],
  only_inf_bucket: [b(inf, 5)],
  no_inf_bucket: [b(1, 1), b(2, 3)],
  non_monotonic: [b(1, 5), b(2, 3), b(4, 9), b(inf, 9)],
  empty_first_buckets: [b(1, 0), b(2, 0), b(4, 5), b(inf, 5)],
  linear_buckets: [b(50, 1), b(100, 4), b(150, 9), b(200, 10), b(inf, 12)],
  fractional_rates: [b(0.001, 0.2), b(0.002, 0.7333333333333333), b(0.004, 1.1), b(inf, 1.3666666666666667)],
};
const quantiles = [-0.5, 0, 0.01, 0.25, 0.5, 0.9, 0.99, 1, 1.5, Number.NaN];

function promValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === inf) return '+Inf';
  if (value === -inf) return '-Inf';
  return String(value);
}

describe('histogramQuantile matches the documented algorithm', () => {
  it('interpolates linearly inside the bucket holding the rank', () => {
    // rank 25 of 50 falls in (8e-6, 1.6e-5] holding observations 11..42: 15 of its 32.
    expect(histogramQuantile(0.5, cases.exp2_latency as CumulativeBucket[])).toBeCloseTo(8e-6 + 8e-6 * (15 / 32), 15);
  });
  it('answers the highest finite bound when the rank falls in the +Inf bucket', () => {
    expect(histogramQuantile(0.99, cases.rank_in_inf_bucket as CumulativeBucket[])).toBe(2);
  });
  it('answers the first bound when it is not positive and holds the rank', () => {
    expect(histogramQuantile(0.25, cases.negative_first_bound as CumulativeBucket[])).toBe(-1);
  });
  it('is NaN without observations, without a +Inf bucket or with fewer than two buckets', () => {
    expect(histogramQuantile(0.5, cases.empty_histogram as CumulativeBucket[])).toBeNaN();
    expect(histogramQuantile(0.5, cases.no_inf_bucket as CumulativeBucket[])).toBeNaN();
    expect(histogramQuantile(0.5, cases.only_inf_bucket as CumulativeBucket[])).toBeNaN();
  });
  it('is -Inf below 0 and +Inf above 1', () => {
    expect(histogramQuantile(-0.1, cases.exp2_latency as CumulativeBucket[])).toBe(-inf);
    expect(histogramQuantile(1.1, cases.exp2_latency as CumulativeBucket[])).toBe(inf);
  });
  it('adds up buckets that share a bound and sorts them by bound', () => {
    const split = [b(inf, 4), b(2, 2), b(1, 1), b(2, 1), b(inf, 4), b(1, 1)];
    expect(histogramQuantile(0.5, split)).toBe(histogramQuantile(0.5, [b(1, 2), b(2, 3), b(inf, 8)]));
  });
});

const RECORDED = join(import.meta.dirname, '../test-fixtures/biolatency-vda.txt');

describe('histogramQuantile equals a real Prometheus server on the same data', () => {
  const sampleTime = Math.floor(Date.now() / 1000) - 3600;
  let prometheus: PrometheusServer;
  let recordedEnd: number;

  beforeAll(async () => {
    const recorded = await recordedSeries(sampleTime - 600);
    recordedEnd = recorded.end;
    prometheus = await startPrometheus({ prepare: (dataDir) => backfill(dataDir, sampleTime, recorded.lines) });
  }, 60_000);
  afterAll(async () => prometheus?.stop());

  // The dashboard's Prometheus mode asks for the bucket rates and the quantiles separately; computing
  // the quantiles from those rates must give Prometheus's own answer.
  for (const operation of ['read', 'write', 'flush', 'discard']) {
    it(`rates of the recorded biolatency series (${operation})`, async () => {
      const rates = `sum by (le) (rate(ebpf_exporter_bio_latency_seconds_bucket{operation="${operation}"}[1m]))`;
      const response = await fetch(`${prometheus.url}/api/v1/query?${new URLSearchParams({ query: rates, time: String(recordedEnd) })}`);
      const vector = ((await response.json()) as { data: { result: { metric: { le: string }; value: [number, string] }[] } }).data.result;
      expect(vector.length).toBe(29);
      const buckets = vector.map((s) => ({ upperBound: parseLe(s.metric.le), count: Number(s.value[1]) }));
      for (const q of quantiles) {
        const [expected] = await prometheus.instantValues(`histogram_quantile(${q}, ${rates})`, recordedEnd);
        expect(promValue(histogramQuantile(q, buckets)), `q=${q}`).toBe(expected);
      }
    });
  }

  for (const [name, buckets] of Object.entries(cases)) {
    it(`${name}`, async () => {
      for (const q of quantiles) {
        const [expected] = await prometheus.instantValues(`histogram_quantile(${q}, ${name}_bucket)`, sampleTime);
        expect(promValue(histogramQuantile(q, buckets)), `q=${q}`).toBe(expected);
      }
    });
  }
});

/** The recorded scrapes as OpenMetrics sample lines, re-timed to start at `start` (seconds). */
async function recordedSeries(start: number): Promise<{ lines: string[]; end: number }> {
  const lines: string[] = [];
  let offset = 0;
  for (const line of (await readFile(RECORDED, 'utf8')).split('\n')) {
    if (line.startsWith('@ ')) offset = Number(line.slice(2));
    else if (line.startsWith('ebpf_exporter_')) lines.push(`${line} ${start + offset}`);
  }
  return { lines, end: start + offset };
}

/** Writes every case as one scraped sample at `time`, plus `extra` lines, as TSDB blocks via promtool. */
async function backfill(dataDir: string, time: number, extra: readonly string[]): Promise<void> {
  const lines: string[] = [...extra];
  for (const [name, buckets] of Object.entries(cases)) {
    for (const bucket of buckets) lines.push(`${name}_bucket{le="${formatLe(bucket.upperBound)}"} ${bucket.count} ${time}`);
  }
  lines.push('# EOF', '');
  const dir = await mkdtemp(join(tmpdir(), 'quantile-cases-'));
  try {
    const file = join(dir, 'cases.om');
    await writeFile(file, lines.join('\n'));
    await promisify(execFile)('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, dataDir]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
