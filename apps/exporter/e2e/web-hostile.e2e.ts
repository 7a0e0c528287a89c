// The web layer against hostile clients, on the real exporter (examples/timers) and real clients on
// loopback (Node's http, curl, openssl s_client): a web config typo refused at startup, a flood of wrong
// passwords that must not hold authenticated scrapes, rate_limit, plain HTTP on the TLS port, and the
// HTTP semantics of methods and content codings. Every load is bounded in count.
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExporter, startExporter, type RunningExporter } from './exporter-process';

const dir = mkdtempSync(join(tmpdir(), 'ebpf-exporter-web-'));
const webConfig = (name: string, lines: string[]): string => {
  writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  return `--web.config.file=${join(dir, name)}`;
};
const BASE = ['--config.dir=examples', '--config.names=timers'];
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
// Cost 10, as htpasswd -B and the exporter-toolkit docs make them: ~65 ms of CPU per check here.
const HASH = bcrypt.hashSync('wonderland', 10);
// The startup probe: any answer means the server listens (401 and 429 included).
const anyAnswer = async (port: number) => (await fetch(`http://127.0.0.1:${port}/-/healthy`)).status > 0;

function get(url: string, headers: Record<string, string>, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { headers, agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    })
      .on('error', reject)
      .end();
  });
}

const curl = async (...args: string[]) => (await execa('curl', ['-s', '-S', '--max-time', '20', ...args], { reject: false })).stdout;

describe('web config typos', () => {
  it('refuse to start, naming file, line and field, in --config.check too', async () => {
    const flag = webConfig('typo.yml', ['basic_auth_user:', `  alice: ${HASH}`]);
    for (const extra of [[], ['--config.check']]) {
      const result = await runExporter([...BASE, flag, ...extra]);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(`${join(dir, 'typo.yml')}:1:1: basic_auth_user: unknown key (the top level has tls_server_config, http_server_config, basic_auth_users, rate_limit)`);
    }
  });
});

describe('basic auth under a flood of wrong passwords', () => {
  let exporter: RunningExporter;
  beforeAll(async () => {
    exporter = await startExporter([...BASE, webConfig('auth.yml', ['basic_auth_users:', `  alice: ${HASH}`]), '--web.max-connections=200'], { probe: anyAnswer });
  });
  afterAll(async () => {
    if (exporter) expect((await exporter.stop()).exitCode).toBe(0);
  });

  it('leaves authenticated scrapes unqueued behind the guesses', async () => {
    const metrics = `${exporter.url}/metrics`;
    const agent = new Agent({ keepAlive: true, maxSockets: 60 });
    // Prometheus' first scrape is checked once; later ones come from the verified-pair memory.
    expect(await get(metrics, { authorization: basic('alice', 'wonderland') }, agent)).toBe(200);
    const GUESSES = 60;
    let answered = 0;
    const statuses = new Set<number>();
    const guesses = Array.from({ length: GUESSES }, (_, i) =>
      get(metrics, { authorization: basic('alice', `guess-${i}`) }, agent).then((status) => {
        statuses.add(status);
        answered++;
      }),
    );
    const flood = Promise.all(guesses);
    let flooding = true;
    void flood.finally(() => (flooding = false));
    // Sequential authenticated scrapes while the guesses are being checked: how many guesses were answered
    // during each is the measure, as both scale with the machine's speed. Held behind bcrypt on the event
    // loop, each scrape used to wait for many guesses (0.4 to 3.8 s of 65 ms checks).
    const during: number[] = [];
    const latencies: number[] = [];
    const scrapeAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    while (flooding && during.length < 2000) {
      const before = answered;
      const started = performance.now();
      expect(await get(metrics, { authorization: basic('alice', 'wonderland') }, scrapeAgent)).toBe(200);
      latencies.push(performance.now() - started);
      if (flooding) during.push(answered - before);
    }
    await flood;
    agent.destroy();
    scrapeAgent.destroy();
    expect([...statuses]).toEqual([401]);
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    const median = (values: number[]) => sorted(values)[Math.floor(values.length / 2)] as number;
    console.log(
      `flood of ${GUESSES} wrong passwords at concurrency 60: ${during.length} authenticated scrapes meanwhile, ` +
        `latency median ${median(latencies).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms; guesses answered during one: median ${median(during)}, max ${Math.max(...during)}`,
    );
    expect(during.length).toBeGreaterThanOrEqual(5);
    expect(median(during)).toBeLessThanOrEqual(3);
  });

  it('answers other methods 405 with Allow, and a refused identity coding 406', async () => {
    const auth = ['-u', 'alice:wonderland'];
    const post = await curl(...auth, '-X', 'POST', '-D', '-', '-o', '/dev/null', `${exporter.url}/metrics`);
    expect(post).toMatch(/^HTTP\/1\.1 405 /);
    expect(post).toMatch(/\r\nallow: GET, HEAD\r\n/i);
    const reload = await curl(...auth, '-D', '-', '-o', '/dev/null', `${exporter.url}/-/reload`);
    expect(reload).toMatch(/^HTTP\/1\.1 405 [\s\S]*\r\nallow: POST, PUT\r\n/i);
    expect(await curl(...auth, '-o', '/dev/null', '-w', '%{http_code}', '-H', 'Accept-Encoding: identity;q=0', `${exporter.url}/metrics`)).toBe('406');
    const coded = await curl(...auth, '-D', '-', '-o', '/dev/null', '-H', 'Accept-Encoding: identity;q=0, gzip', `${exporter.url}/metrics`);
    expect(coded).toMatch(/\r\ncontent-encoding: gzip\r\n/i);
  });
});

describe('rate_limit', () => {
  it('answers 429 once the burst is spent, and nothing else is refused', async () => {
    const exporter = await startExporter([...BASE, webConfig('rate.yml', ['rate_limit:', '  interval: 1h', '  burst: 20'])], { probe: anyAnswer });
    try {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const statuses: number[] = [];
      for (let i = 0; i < 25; i++) statuses.push(await get(`${exporter.url}/metrics`, {}, agent));
      agent.destroy();
      // The startup probe took some of the burst; every answer after the first 429 is a 429 too.
      const firstRefused = statuses.indexOf(429);
      expect(firstRefused).toBeGreaterThan(10);
      expect(statuses.slice(0, firstRefused).every((status) => status === 200)).toBe(true);
      expect(statuses.slice(firstRefused).every((status) => status === 429)).toBe(true);
    } finally {
      expect((await exporter.stop()).exitCode).toBe(0);
    }
  });
});

describe('plain HTTP on the TLS port', () => {
  it("gets Go's 400, while TLS clients are served", async () => {
    await execa('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'tls.key', '-out', 'tls.crt', '-days', '1', '-subj', '/CN=127.0.0.1'], { cwd: dir });
    const flag = webConfig('tls.yml', ['tls_server_config:', '  cert_file: tls.crt', '  key_file: tls.key']);
    const exporter = await startExporter([...BASE, flag], { probe: async (port) => (await curl('-k', '-o', '/dev/null', '-w', '%{http_code}', `https://127.0.0.1:${port}/`)) === '200' });
    try {
      const port = new URL(exporter.url).port;
      const plain = await curl('-D', '-', `http://127.0.0.1:${port}/metrics`);
      expect(plain).toMatch(/^HTTP\/1\.0 400 Bad Request\r\n/);
      expect(plain).toContain('Client sent an HTTP request to an HTTPS server.');
      const sClient = await execa('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-quiet'], { input: 'GET /metrics HTTP/1.0\r\n\r\n', reject: false, timeout: 20_000 });
      expect(sClient.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(sClient.stdout).toContain('ebpf_exporter_timer_starts_total');
    } finally {
      expect((await exporter.stop()).exitCode).toBe(0);
    }
  });
});
