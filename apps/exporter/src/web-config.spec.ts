import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { selfSigned } from './testing/self-signed';
import { accessControl, loadWebConfig, parseWebConfig, WebConfigError, type WebConfig } from './web-config';

const dir = mkdtempSync(join(tmpdir(), 'web-config-'));
const pair = selfSigned(dir, 'server');
copyFileSync(pair.cert, join(dir, 'cert.pem'));
copyFileSync(pair.key, join(dir, 'key.pem'));
mkdirSync(join(dir, 'a-directory'));
const file = join(dir, 'web.yml');
const auth = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

describe('parseWebConfig', () => {
  it('reads TLS files relative to the config file and maps client_auth_type', () => {
    const config = parseWebConfig('tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_auth_type: RequestClientCert\n  min_version: TLS13\n', file);
    expect(config.https?.cert).toEqual(readFileSync(pair.cert));
    expect(config.https).toMatchObject({ requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
  });

  it.each([
    ['tls_server_config:\n  cert_file: cert.pem\n', 'web.yml:2:3: tls_server_config.key_file: is required for TLS'],
    ['tls_server_config:\n  cert_file: nope.pem\n  key_file: key.pem\n', '2:14: tls_server_config.cert_file: cannot read'],
    ['tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_auth_type: Maybe\n', '4:21: tls_server_config.client_auth_type: must be one of'],
    ['tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_auth_type: RequireAndVerifyClientCert\n', 'client_ca_file: is required'],
    ['tls_server_config:\n  cert_file: a-directory\n  key_file: key.pem\n', `2:14: tls_server_config.cert_file: cannot read ${join(dir, 'a-directory')}: is a directory (EISDIR)`],
    [
      'tls_server_config:\n  cert_file: key.pem\n  key_file: cert.pem\n',
      `web.yml:2:14: tls_server_config.cert_file: ${join(dir, 'key.pem')} holds no PEM certificate, it holds a private key (cert_file and key_file the wrong way round?)`,
    ],
    ['tls_server_config:\n  cert_file: cert.pem\n  key_file: cert.pem\n', `web.yml:3:13: tls_server_config.key_file: ${join(dir, 'cert.pem')} holds no PEM private key, it holds a certificate`],
    ['tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_ca_file: key.pem\n', `web.yml:4:19: tls_server_config.client_ca_file: ${join(dir, 'key.pem')} holds no PEM certificate`],
    ['basic_auth_users:\n  alice: plaintext\n', '2:10: basic_auth_users.alice: must be a bcrypt hash'],
    ['basic_auth_users:\n  alice: $2x$10$B1vs.cSJCZJMbMlFaESozuMVEbqupYiv/1qT4s4m1aLY7Riix6eKq\n', 'basic_auth_users.alice: must be a bcrypt hash'],
    ['basic_auth_users:\n  alice: $2y$03$B1vs.cSJCZJMbMlFaESozuMVEbqupYiv/1qT4s4m1aLY7Riix6eKq\n', 'cost 04 to 31'],
    ['basic_auth_users:\n  alice: $2y$10$B1vs.cSJCZJMbMlFaESozuMVEbqupYiv/1qT4s4m1aLY7Riix6eKq0\n', '60 characters'],
    ['basic_auth_users: [\n', 'web.yml:'],
    ['bogus_key: 1\n', 'web.yml:1:1: bogus_key: unknown key (the top level has tls_server_config, http_server_config, basic_auth_users, rate_limit)'],
    ['basic_auth_user:\n  alice: x\n', 'web.yml:1:1: basic_auth_user: unknown key'],
    ['tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  bogus: 1\n', 'web.yml:4:3: tls_server_config.bogus: unknown key (tls_server_config has cert, key, client_ca, cert_file,'],
    ['http_server_config:\n  http2: maybe\n', 'web.yml:2:10: http_server_config.http2: must be true or false'],
    ['http_server_config:\n  headerz: {}\n', 'web.yml:2:3: http_server_config.headerz: unknown key'],
    ['- a\n', 'web.yml:1:1: web config: must be a mapping'],
    ['rate_limit:\n  interval: 1s\n  bust: 3\n', 'web.yml:3:3: rate_limit.bust: unknown key (rate_limit has interval, burst)'],
    ['rate_limit:\n  interval: soon\n  burst: 3\n', 'web.yml:2:13: rate_limit.interval:'],
    ['rate_limit:\n  interval: 1s\n', 'web.yml:2:3: rate_limit.burst: must be a whole number of at least 1 when interval is set'],
    ['rate_limit:\n  interval: 1s\n  burst: 0\n', 'web.yml:3:10: rate_limit.burst: must be a whole number of at least 1'],
    ['tls_server_config:\n  cert: x\n  cert_file: cert.pem\n  key_file: key.pem\n', 'web.yml:2:9: tls_server_config.cert: and cert_file are mutually exclusive'],
    ['tls_server_config:\n  cert: not pem\n  key_file: key.pem\n', 'web.yml:2:9: tls_server_config.cert: the inline cert holds no PEM certificate'],
    ['tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_RC4_128_SHA]\n', "web.yml:4:58: tls_server_config.cipher_suites[1]: TLS_RSA_WITH_RC4_128_SHA is not one of Go's secure cipher suites"],
    ['tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  cipher_suites: TLS_AES_128_GCM_SHA256\n', 'web.yml:4:18: tls_server_config.cipher_suites: must be a list'],
    ['tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  curve_preferences:\n    - secp256r1\n', 'web.yml:5:7: tls_server_config.curve_preferences[0]: secp256r1 is not a curve Go knows'],
    ['tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  prefer_server_cipher_suites: yes please\n', 'tls_server_config.prefer_server_cipher_suites: must be true or false'],
    ['tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_allowed_sans: [prometheus]\n', 'web.yml:4:25: tls_server_config.client_allowed_sans: needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert'],
  ])('rejects %j', (text, message) => {
    expect(() => parseWebConfig(text, file)).toThrow(WebConfigError);
    expect(() => parseWebConfig(text, file)).toThrow(message);
  });
});

describe('parseWebConfig TLS settings named as in Go', () => {
  it('takes the certificate and key inline, and translates cipher suites and curves', () => {
    const pem = (path: string) => JSON.stringify(readFileSync(path, 'utf8'));
    const config = parseWebConfig(
      `tls_server_config:\n  cert: ${pem(pair.cert)}\n  key: ${pem(pair.key)}\n  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]\n  curve_preferences: [X25519, CurveP256]\n  prefer_server_cipher_suites: false\n`,
      file,
    );
    expect(config.https).toMatchObject({ cert: readFileSync(pair.cert), key: readFileSync(pair.key), ciphers: 'ECDHE-ECDSA-AES128-GCM-SHA256', ecdhCurve: 'X25519:P-256', honorCipherOrder: false });
  });
});

describe('parseWebConfig rate_limit', () => {
  it('reads interval as a Go duration and burst as a count', () => {
    expect(parseWebConfig('rate_limit:\n  interval: 250ms\n  burst: 5\n', file).rateLimit).toEqual({ intervalMs: 250, burst: 5 });
  });

  it('has no limit with interval 0 or missing, as exporter-toolkit', () => {
    expect(parseWebConfig('rate_limit:\n  interval: 0s\n  burst: 5\n', file).rateLimit).toBeUndefined();
    expect(parseWebConfig('rate_limit:\n  burst: 5\n', file).rateLimit).toBeUndefined();
  });

  it('takes http2 and prefer_server_cipher_suites, which change nothing here', () => {
    expect(parseWebConfig('http_server_config:\n  http2: false\n', file).headers).toEqual({});
    expect(parseWebConfig('tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  prefer_server_cipher_suites: true\n', file).https).toBeDefined();
  });
});

describe('accessControl', () => {
  it('answers 429 once the rate_limit bucket is empty, before checking credentials', async () => {
    const compared: string[] = [];
    const config = parseWebConfig(`basic_auth_users:\n  alice: ${bcrypt.hashSync('wonderland', 4)}\nrate_limit:\n  interval: 1h\n  burst: 2\n`, file);
    const app = Fastify();
    app.addHook('onRequest', accessControl(config, { compare: async (password, hash) => (compared.push(password), bcrypt.compare(password, hash)) }));
    app.get('/', async () => 'ok');
    expect((await app.inject({ url: '/', headers: auth('alice', 'wonderland') })).statusCode).toBe(200);
    expect((await app.inject({ url: '/', headers: auth('alice', 'wrong') })).statusCode).toBe(401);
    const limited = await app.inject({ url: '/', headers: auth('alice', 'guess') });
    expect(limited.statusCode).toBe(429);
    expect(compared).toEqual(['wonderland', 'wrong']);
  });

  it('checks a password once and then takes the pair from its short memory', async () => {
    const compared: string[] = [];
    const config = parseWebConfig(`basic_auth_users:\n  alice: ${bcrypt.hashSync('wonderland', 4)}\n`, file);
    const app = Fastify();
    app.addHook('onRequest', accessControl(config, { compare: async (password, hash) => (compared.push(password), bcrypt.compare(password, hash)) }));
    app.get('/', async () => 'ok');
    for (let i = 0; i < 3; i++) expect((await app.inject({ url: '/', headers: auth('alice', 'wonderland') })).statusCode).toBe(200);
    for (let i = 0; i < 2; i++) expect((await app.inject({ url: '/', headers: auth('alice', 'wrong') })).statusCode).toBe(401);
    // Failures are never remembered: each wrong guess costs the guesser a bcrypt check.
    expect(compared).toEqual(['wonderland', 'wrong', 'wrong']);
  });

  it('answers 401 when the password check itself fails', async () => {
    const config = parseWebConfig(`basic_auth_users:\n  alice: ${bcrypt.hashSync('wonderland', 4)}\n`, file);
    const app = Fastify();
    app.addHook('onRequest', accessControl(config, { compare: () => Promise.reject(new Error('worker died')) }));
    app.get('/', async () => 'ok');
    expect((await app.inject({ url: '/', headers: auth('alice', 'wonderland') })).statusCode).toBe(401);
  });

  it('answers 401 without valid basic auth and serves with it', async () => {
    const config = parseWebConfig(`basic_auth_users:\n  alice: ${bcrypt.hashSync('wonderland', 4)}\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\n`, file);
    const app = Fastify();
    app.addHook('onRequest', accessControl(config));
    app.get('/', async () => 'ok');
    const none = await app.inject({ url: '/' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Basic');
    expect((await app.inject({ url: '/', headers: auth('alice', 'wrong') })).statusCode).toBe(401);
    expect((await app.inject({ url: '/', headers: auth('bob', 'wonderland') })).statusCode).toBe(401);
    for (let i = 0; i < 2; i++) {
      const ok = await app.inject({ url: '/', headers: auth('alice', 'wonderland') });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['x-frame-options']).toBe('deny');
    }
  });
});

describe('loadWebConfig', () => {
  it('names the file and the cause when it cannot be read', () => {
    expect(() => loadWebConfig(join(dir, 'a-directory'))).toThrow(`--web.config.file: cannot read ${join(dir, 'a-directory')}: is a directory (EISDIR)`);
    expect(() => loadWebConfig(join(dir, 'nope.yml'))).toThrow(`--web.config.file: cannot read ${join(dir, 'nope.yml')}: no such file or directory (ENOENT)`);
  });
});

describe('unknown users', () => {
  const usersConfig = (users: Record<string, string>): WebConfig => ({ clientAuth: 'NoClientCert', basicAuthUsers: new Map(Object.entries(users)), headers: {} });
  const serve = (config: WebConfig, compare?: (password: string, hash: string) => Promise<boolean>) => {
    const app = Fastify();
    app.addHook('onRequest', accessControl(config, compare ? { compare } : {}));
    app.get('/', async () => 'ok');
    return app;
  };

  // Equal cost is what makes refusing an unknown user take as long as a wrong password (cost 8 against the old
  // fixed cost-10 dummy made them 4 times slower); checked on the hashes compared, not by timing, which a
  // loaded machine blurs.
  it('are compared against a hash of the configured cost', async () => {
    const compared: string[] = [];
    const app = serve(usersConfig({ alice: bcrypt.hashSync('wonderland', 4).replace('$04$', '$12$') }), async (_, hash) => (compared.push(hash), false));
    expect((await app.inject({ url: '/', headers: auth('alice', 'wrong') })).statusCode).toBe(401);
    expect((await app.inject({ url: '/', headers: auth('mallory', 'wrong') })).statusCode).toBe(401);
    expect(compared.map((hash) => bcrypt.getRounds(hash))).toEqual([12, 12]);
  });
});
