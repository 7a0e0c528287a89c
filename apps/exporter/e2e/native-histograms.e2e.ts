// Native histograms through a real Prometheus 3.5 (sid's, see prometheus3.ts) scraping the built exporter
// with native histograms on. Two jobs scrape the same exporter: `native` ingests only what the exporter
// sends (so a native series there proves the exporter's own schema-0 buckets), `nhcb` also turns classic-only
// histograms into custom-bucket native ones (Prometheus' convert_classic_histograms_to_nhcb), which is how
// biolatency's microsecond bounds become native. Both keep the classic series, so every native quantile is
// compared with the classic one over the same scrapes.
import { execa } from 'execa';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrometheus, type PrometheusServer } from '@ebpf-exporter/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startExporter, type RunningExporter } from './exporter-process';
import { installPrometheus3 } from './prometheus3';

const FIXTURES = join(import.meta.dirname, 'fixtures');
// The fixture workload's write sizes per round (see fixtures/native-histograms.bpf.c): 5% empty, 10% of
// 3 B, 70% of 100 B, 15% of 5000 B. Its 0.9 quantile is 5000 B, in the bucket (4096, 8192].
const ROUND = [...Array<number>(5).fill(0), ...Array<number>(10).fill(3), ...Array<number>(70).fill(100), ...Array<number>(15).fill(5000)];
const ROUNDS = 24;
const WORKLOAD = `
import ctypes, os, time
ctypes.CDLL(None).prctl(15, b"nh-fixture", 0, 0, 0)
fd = os.open("/dev/null", os.O_WRONLY)
for _ in range(${ROUNDS}):
    for size in [${ROUND.join(',')}]:
        os.write(fd, b"x" * size)
    time.sleep(0.5)
`;
const SCRATCH = '/var/tmp/ebpf-exporter-native-histograms.bin';

let dir: string;
let exporter: RunningExporter;
let prometheus: PrometheusServer;
let now: number;

async function value(query: string): Promise<number> {
  const values = await prometheus.instantValues(query, now);
  expect(values, query).toHaveLength(1);
  return Number(values[0]);
}

async function until(query: string, what: string): Promise<void> {
  const deadline = Date.now() + 45_000;
  while ((await prometheus.instantValues(query, Date.now() / 1000)).length === 0) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${query})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ebpf-exporter-native-histograms-'));
  await execa('clang', [
    '-g', '-O2', '-target', 'bpf', '-D__TARGET_ARCH_x86',
    `-I${join(REPO_ROOT, 'include/x86')}`, `-I${join(REPO_ROOT, 'include')}`, '-I/usr/include/x86_64-linux-gnu',
    '-c', join(FIXTURES, 'native-histograms.bpf.c'), '-o', join(dir, 'native-histograms.bpf.o'),
  ]);
  copyFileSync(join(FIXTURES, 'native-histograms.yaml'), join(dir, 'native-histograms.yaml'));
  for (const file of ['biolatency.yaml', 'biolatency.bpf.o']) copyFileSync(join(REPO_ROOT, 'examples', file), join(dir, file));
  const binary = await installPrometheus3();
  exporter = await startExporter([`--config.dir=${dir}`, '--config.names=native-histograms,biolatency']);
  const target = { static_configs: [{ targets: [exporter.url.replace('http://', '')] }], always_scrape_classic_histograms: true };
  prometheus = await startPrometheus({
    binary,
    flags: ['--enable-feature=native-histograms'],
    scrapeIntervalSeconds: 1,
    scrapeConfigs: [
      { job_name: 'native', ...target },
      { job_name: 'nhcb', ...target, convert_classic_histograms_to_nhcb: true },
    ],
  });
  // The fixture's writes and real disk IO (direct, so each write is a block request), ~12 s of each.
  const disk = execa('sh', ['-c', `for i in $(seq 24); do dd if=/dev/zero of=${SCRATCH} bs=4k count=100 oflag=direct 2>/dev/null; sleep 0.5; done`], { timeout: 60_000 });
  await execa('python3', ['-c', WORKLOAD], { timeout: 60_000 });
  await disk;
  await until('histogram_count(rate(ebpf_exporter_e2e_write_size_bytes{job="native"}[1m])) > 0', 'the fixture as a native histogram');
  await until('histogram_count(sum(rate(ebpf_exporter_bio_latency_seconds{job="nhcb"}[1m]))) > 0', 'biolatency as a custom-bucket histogram');
  now = Date.now() / 1000;
}, 180_000);

afterAll(async () => {
  await prometheus?.stop();
  if (exporter && exporter.process.exitCode === null) await exporter.stop();
  rmSync(SCRATCH, { force: true });
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('native histograms in Prometheus 3.5', () => {
  it('gets the exp2 fixture as the exporter\'s own native histogram, whose 0.9 quantile agrees with the classic one within the bucket', async () => {
    const native = await value('histogram_quantile(0.9, rate(ebpf_exporter_e2e_write_size_bytes{job="native"}[1m]))');
    const classic = await value('histogram_quantile(0.9, rate(ebpf_exporter_e2e_write_size_bytes_bucket{job="native"}[1m]))');
    // Both in the bucket of the true 0.9 quantile (5000 B); Prometheus interpolates a native bucket
    // exponentially and a classic one linearly, so they differ within it.
    for (const quantile of [native, classic]) {
      expect(quantile).toBeGreaterThan(4096);
      expect(quantile).toBeLessThanOrEqual(8192);
    }
    expect(Math.abs(native - classic)).toBeLessThan(4096);
    // Count and sum are the classic ones, over the same scrapes.
    const count = await value('histogram_count(rate(ebpf_exporter_e2e_write_size_bytes{job="native"}[1m]))');
    expect(count).toBeCloseTo(await value('rate(ebpf_exporter_e2e_write_size_bytes_count{job="native"}[1m])'), 9);
    const sum = await value('histogram_sum(rate(ebpf_exporter_e2e_write_size_bytes{job="native"}[1m]))');
    expect(sum).toBeCloseTo(await value('rate(ebpf_exporter_e2e_write_size_bytes_sum{job="native"}[1m])'), 6);
    // The known mix: 85% of the writes are 100 B or less.
    expect(await value('histogram_fraction(0, 128, rate(ebpf_exporter_e2e_write_size_bytes{job="native"}[1m]))')).toBeCloseTo(0.85, 6);
  });

  it('puts exp2zero\'s empty writes into the zero bucket and maps its 2^-10 multiplier exactly', async () => {
    const histogram = 'rate(ebpf_exporter_e2e_write_size_kibibytes{job="native"}[1m])';
    // Up to 2^-11, just below the first positive bucket (2^-11, 2^-10]: only the zero bucket counts.
    expect(await value(`histogram_fraction(-Inf, 2^-11, ${histogram})`)).toBeCloseTo(0.05, 6);
    expect(await value(`histogram_quantile(0.04, ${histogram})`)).toBe(0);
    expect(await value('histogram_quantile(0.04, rate(ebpf_exporter_e2e_write_size_kibibytes_bucket{job="native"}[1m]))')).toBe(0);
    // 3 B is 2^-8.4 KiB: the native bucket (2^-9, 2^-8] holds exactly the 10% of 3-byte writes.
    expect(await value(`histogram_fraction(2^-9, 2^-8, ${histogram})`)).toBeCloseTo(0.1, 6);
    const native = await value(`histogram_quantile(0.9, ${histogram})`);
    const classic = await value('histogram_quantile(0.9, rate(ebpf_exporter_e2e_write_size_kibibytes_bucket{job="native"}[1m]))');
    for (const quantile of [native, classic]) {
      expect(quantile).toBeGreaterThan(4);
      expect(quantile).toBeLessThanOrEqual(8);
    }
  });

  it('leaves biolatency (1e-6 bounds) classic from the exporter, and its custom-bucket form agrees with the classic quantile under real disk IO', async () => {
    expect(await prometheus.instantValues('ebpf_exporter_bio_latency_seconds{job="native"}', now)).toEqual([]);
    const native = await value('histogram_quantile(0.9, sum(rate(ebpf_exporter_bio_latency_seconds{job="nhcb"}[1m])))');
    const classic = await value('histogram_quantile(0.9, sum by (le) (rate(ebpf_exporter_bio_latency_seconds_bucket{job="nhcb"}[1m])))');
    expect(classic).toBeGreaterThan(0);
    // The classic bucket holding the quantile is (upper/2, upper] with upper = 2^k µs.
    const upper = 2 ** Math.ceil(Math.log2(classic / 1e-6)) * 1e-6;
    expect(Math.abs(native - classic)).toBeLessThanOrEqual(upper / 2);
  });

  it('ingests the built-in and process families from the protobuf scrape', async () => {
    expect(await value('count(process_resident_memory_bytes{job="native"})')).toBe(1);
    expect(await value('count(ebpf_exporter_build_info{job="native"})')).toBe(1);
    expect(await value('count(ebpf_exporter_enabled_configs{job="native"})')).toBe(2);
  });
});
