import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { accessControl, parseWebConfig, WebConfigError } from './web-config';

const dir = mkdtempSync(join(tmpdir(), 'web-config-'));
writeFileSync(join(dir, 'cert.pem'), 'CERT');
writeFileSync(join(dir, 'key.pem'), 'KEY');
const file = join(dir, 'web.yml');

describe('parseWebConfig', () => {
  it('reads TLS files relative to the config file and maps client_auth_type', () => {
    const config = parseWebConfig('tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_auth_type: RequestClientCert\n  min_version: TLS13\n', file);
    expect(config.https?.cert?.toString()).toBe('CERT');
    expect(config.https).toMatchObject({ requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
  });

  it.each([
    ['tls_server_config:\n  cert_file: cert.pem\n', 'web.yml:2:3: tls_server_config.key_file: is required for TLS'],
    ['tls_server_config:\n  cert_file: nope.pem\n  key_file: key.pem\n', '2:14: tls_server_config.cert_file: cannot read'],
    ['tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_auth_type: Maybe\n', '4:21: tls_server_config.client_auth_type: must be one of'],
    ['tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n  client_auth_type: RequireAndVerifyClientCert\n', 'client_ca_file: is required'],
    ['basic_auth_users:\n  alice: plaintext\n', '2:10: basic_auth_users.alice: must be a bcrypt hash'],
    ['basic_auth_users: [\n', 'web.yml:'],
  ])('rejects %j', (text, message) => {
    expect(() => parseWebConfig(text, file)).toThrow(WebConfigError);
    expect(() => parseWebConfig(text, file)).toThrow(message);
  });
});

describe('accessControl', () => {
  it('answers 401 without valid basic auth and serves with it', async () => {
    const config = parseWebConfig(`basic_auth_users:\n  alice: ${bcrypt.hashSync('wonderland', 4)}\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\n`, file);
    const app = Fastify();
    app.addHook('onRequest', accessControl(config));
    app.get('/', async () => 'ok');
    const auth = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
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
