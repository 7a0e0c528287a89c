// --web.config.file with real TLS on loopback: server certificate from a throwaway CA, client
// certificates required and verified, and basic auth on top.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExporter, type RunningExporter } from './exporter-process';

const dir = mkdtempSync(join(tmpdir(), 'ebpf-exporter-tls-'));
const path = (name: string) => join(dir, name);

async function openssl(...args: string[]): Promise<void> {
  await execa('openssl', args, { cwd: dir });
}

async function issue(name: string, cn: string, extfile: string): Promise<void> {
  await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
  writeFileSync(path(`${name}.ext`), extfile);
  await openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', `${name}.crt`, '-extfile', `${name}.ext`);
}

function get(url: string, options: { cert?: string; auth?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      ca: readFileSync(path('ca.crt')),
      ...(options.cert ? { cert: readFileSync(path(`${options.cert}.crt`)), key: readFileSync(path(`${options.cert}.key`)) } : {}),
      ...(options.auth ? { headers: { authorization: `Basic ${Buffer.from(options.auth).toString('base64')}` } } : {}),
    }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The exporter on examples/timers with this web config, once a client with `probe.cert` gets `probe.status`. */
function startTlsExporter(name: string, lines: string[], probe: { cert: string; status: number }): Promise<RunningExporter> {
  writeFileSync(path(name), `${lines.join('\n')}\n`);
  return startExporter(['--config.dir=examples', '--config.names=timers', `--web.config.file=${path(name)}`], {
    probe: (port) => get(`https://127.0.0.1:${port}/`, { cert: probe.cert }).then((r) => r.status === probe.status),
  });
}

describe('TLS with client certificates and basic auth', () => {
  let exporter: RunningExporter;

  beforeAll(async () => {
    await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=test-ca');
    await issue('server', '127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
    await issue('client', 'prometheus', 'extendedKeyUsage=clientAuth\n');
    exporter = await startTlsExporter('web.yml', [
      'tls_server_config:',
      '  cert_file: server.crt',
      '  key_file: server.key',
      '  client_auth_type: RequireAndVerifyClientCert',
      '  client_ca_file: ca.crt',
      'basic_auth_users:',
      `  prometheus: ${bcrypt.hashSync('scrape-secret', 10).replace('$2b$', '$2y$')}`,
    ], { cert: 'client', status: 401 });
  });

  afterAll(async () => {
    if (exporter) expect((await exporter.stop()).exitCode).toBe(0);
  });

  const url = () => exporter.url.replace('http:', 'https:') + '/metrics';

  it('serves metrics to a client with a verified certificate and the right password', async () => {
    const response = await get(url(), { cert: 'client', auth: 'prometheus:scrape-secret' });
    expect(response.status).toBe(200);
    expect(response.body).toContain('ebpf_exporter_timer_starts_total');
  });

  it('answers 401 to wrong or missing credentials', async () => {
    expect((await get(url(), { cert: 'client', auth: 'prometheus:nope' })).status).toBe(401);
    expect((await get(url(), { cert: 'client', auth: 'someone:scrape-secret' })).status).toBe(401);
    expect((await get(url(), { cert: 'client' })).status).toBe(401);
  });

  it('refuses the TLS handshake without a client certificate', async () => {
    await expect(get(url(), { auth: 'prometheus:scrape-secret' })).rejects.toThrow();
  });
});

describe('client_allowed_sans, cipher_suites and curve_preferences (Go names)', () => {
  let exporter: RunningExporter;

  beforeAll(async () => {
    // The CA of the block above signs two more clients: one whose SAN is allowed, one whose SAN is not.
    await issue('allowed', 'prometheus-a', 'subjectAltName=DNS:prometheus.example,IP:::1\nextendedKeyUsage=clientAuth\n');
    await issue('other', 'prometheus-b', 'subjectAltName=DNS:intruder.example\nextendedKeyUsage=clientAuth\n');
    exporter = await startTlsExporter('sans.yml', [
      'tls_server_config:',
      '  cert_file: server.crt',
      '  key_file: server.key',
      '  client_auth_type: RequireAndVerifyClientCert',
      '  client_ca_file: ca.crt',
      '  client_allowed_sans: ["::1", elsewhere.example]',
      '  max_version: TLS12',
      '  cipher_suites: [TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256]',
      '  curve_preferences: [CurveP384]',
    ], { cert: 'allowed', status: 200 });
  });

  afterAll(async () => {
    if (exporter) expect((await exporter.stop()).exitCode).toBe(0);
  });

  it('serves a client whose certificate has an allowed SAN, with the configured suite and curve', async () => {
    const port = new URL(exporter.url).port;
    const sClient = await execa('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-CAfile', path('ca.crt'), '-cert', path('allowed.crt'), '-key', path('allowed.key'), '-brief', '-ign_eof'], {
      input: 'GET /metrics HTTP/1.0\r\n\r\n',
      reject: false,
      timeout: 20_000,
    });
    const output = `${sClient.stdout}\n${sClient.stderr}`;
    expect(output).toContain('ECDHE-RSA-CHACHA20-POLY1305');
    expect(output).toMatch(/(Server|Peer) Temp Key: ECDH, (secp384r1|P-384)/);
    expect(output).toContain('ebpf_exporter_timer_starts_total');
  });

  it('ends the connection of a verified client whose SANs are not allowed, without an answer', async () => {
    await expect(get(`${exporter.url.replace('http:', 'https:')}/metrics`, { cert: 'other' })).rejects.toThrow(/socket hang up|ECONNRESET/);
  });
});
