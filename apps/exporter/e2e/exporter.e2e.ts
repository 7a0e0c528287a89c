// The exporter end to end on this machine's kernel: the three starter examples attached for real,
// real work generated, /metrics scraped over HTTP and checked for series, values and syntax.
import { execa } from 'execa';
import { get, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadedProgramIds, parseSamples, programsStillLoaded, promtoolCheck, startExporter, type RunningExporter, type Sample } from './exporter-process';

const STARTERS = ['timers', 'biolatency', 'percpu-softirq'];

async function scrape(exporter: RunningExporter, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${exporter.url}/metrics`, { headers });
}

function rawGet(url: string, headers: Record<string, string>): Promise<{ headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

const named = (samples: Sample[], name: string) => samples.filter((s) => s.name === name);

/** Completed block write requests by device. */
function writeCounts(samples: Sample[]): Map<string, number> {
  const writes = named(samples, 'ebpf_exporter_bio_latency_seconds_count').filter((s) => s.labels.operation === 'write');
  return new Map(writes.map((s) => [s.labels.device ?? '', s.value]));
}

describe('exporter with the starter examples', () => {
  let exporter: RunningExporter;
  let text: string;
  let samples: Sample[];
  let writesBefore: Map<string, number>;

  beforeAll(async () => {
    exporter = await startExporter(['--config.dir=examples', `--config.names=${STARTERS.join(',')}`]);
    writesBefore = writeCounts(parseSamples(await (await scrape(exporter)).text()));
    // Direct IO bypasses the page cache, so the writes become block requests on the disk under /var/tmp
    // (the block layer may merge neighbours, so the request count is not the write count), and dd
    // returns only once they completed, which is when the program records them.
    await execa('dd', ['if=/dev/zero', 'of=/var/tmp/ebpf-exporter-e2e.bin', 'bs=4k', 'count=500', 'oflag=direct']);
    await execa('rm', ['-f', '/var/tmp/ebpf-exporter-e2e.bin']);
    const response = await scrape(exporter);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4; charset=utf-8/);
    text = await response.text();
    samples = parseSamples(text);
  });

  afterAll(async () => {
    if (exporter && exporter.process.exitCode === null) await exporter.stop();
  });

  it('counts timer starts by kernel function name', () => {
    const timers = named(samples, 'ebpf_exporter_timer_starts_total');
    expect(timers.length).toBeGreaterThan(0);
    expect(timers.some((s) => s.value > 0 && /^[a-z_][a-z0-9_.]*$/.test(s.labels.function ?? ''))).toBe(true);
  });

  it('records block IO latency for the root disk by device name and operation', () => {
    const counts = named(samples, 'ebpf_exporter_bio_latency_seconds_count').filter((s) => s.labels.operation === 'write');
    const disk = counts.find((s) => !s.labels.device?.startsWith('unknown') && s.value > (writesBefore.get(s.labels.device ?? '') ?? 0));
    expect(disk, 'a named disk whose write count grew during dd').toBeDefined();
    const buckets = named(samples, 'ebpf_exporter_bio_latency_seconds_bucket').filter(
      (s) => s.labels.device === disk?.labels.device && s.labels.operation === 'write',
    );
    expect(buckets).toHaveLength(29); // exp2 0..27 and +Inf
    expect(buckets[0]?.labels.le).toBe('1e-06');
    expect(buckets.at(-1)).toMatchObject({ labels: { le: '+Inf' }, value: disk?.value });
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
    const sum = named(samples, 'ebpf_exporter_bio_latency_seconds_sum').find((s) => s.labels.device === disk?.labels.device && s.labels.operation === 'write');
    expect(sum?.value).toBeGreaterThan(0);
  });

  it('counts softirqs per vector and per CPU', () => {
    const softirqs = named(samples, 'ebpf_exporter_softirqs_total');
    expect(softirqs.some((s) => s.labels.vec === 'timer' && s.labels.cpu === '0' && s.value > 0)).toBe(true);
  });

  it('exports the built-in metrics with every program attached', () => {
    expect(named(samples, 'ebpf_exporter_enabled_configs').map((s) => s.labels.name).sort()).toEqual([...STARTERS].sort());
    const attached = named(samples, 'ebpf_exporter_ebpf_program_attached');
    expect(attached.length).toBeGreaterThanOrEqual(3);
    expect(attached.every((s) => s.value === 1)).toBe(true);
    expect(named(samples, 'ebpf_exporter_decoder_errors_total').map((s) => s.value)).toEqual([0, 0, 0]);
    expect(named(samples, 'ebpf_exporter_build_info')).toHaveLength(1);
    // The launcher runs the pinned Node.js 24 from node_modules, not the machine's own (20, end of life).
    expect(named(samples, 'ebpf_exporter_build_info')[0]?.labels.goversion).toMatch(/^node24\./);
    expect(named(samples, 'nodejs_version_info')[0]?.labels.major).toBe('24');
    expect(named(samples, 'process_resident_memory_bytes')[0]?.value).toBeGreaterThan(0);
  });

  it('passes promtool check metrics', async () => {
    const result = await promtoolCheck(text);
    expect(result.output).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('gzips when asked and speaks OpenMetrics when asked', async () => {
    // fetch() would decompress on its own; node:http shows the bytes as sent.
    const gz = await rawGet(`${exporter.url}/metrics`, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toContain('ebpf_exporter_enabled_configs');
    const om = await scrape(exporter, { accept: 'application/openmetrics-text; version=1.0.0' });
    expect(om.headers.get('content-type')).toContain('application/openmetrics-text');
    expect((await om.text()).trimEnd().endsWith('# EOF')).toBe(true);
  });

  it('answers / and unknown paths with the landing page, and has no /maps without --debug', async () => {
    for (const path of ['/', '/nope', '/maps']) {
      const response = await fetch(`${exporter.url}${path}`);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<a href="/metrics">');
    }
  });

  it('detaches everything and exits 0 on SIGTERM', async () => {
    const ids = named(samples, 'ebpf_exporter_ebpf_program_info').map((s) => Number(s.labels.id));
    const before = await loadedProgramIds();
    expect(ids.every((id) => before.has(id))).toBe(true);
    const { exitCode } = await exporter.stop();
    expect(exitCode).toBe(0);
    expect(await programsStillLoaded(ids)).toEqual([]);
  });
});

describe('--debug', () => {
  it('serves /maps with every configured map', async () => {
    const exporter = await startExporter(['--config.dir=examples', '--config.names=timers', '--debug']);
    try {
      const response = await fetch(`${exporter.url}/maps`);
      const body = await response.text();
      expect(response.status).toBe(200);
      expect(body).toContain('## Config: timers');
      expect(body).toContain('### Map: timer_starts_total');
      expect(body).toMatch(/\[(\d+ ){7}\d+\] -> \d+/);
    } finally {
      await exporter.stop();
    }
  });
});
