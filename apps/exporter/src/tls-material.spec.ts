import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { selfSigned } from './testing/self-signed';
import { tlsMaterialProblem, type TlsFile } from './tls-material';

const dir = mkdtempSync(join(tmpdir(), 'tls-material-'));
const a = selfSigned(dir, 'a');
const b = selfSigned(dir, 'b');
/** OpenSSL's default security level refuses to serve with a key this small. */
const weak = selfSigned(dir, 'weak', ['rsa:512']);
writeFileSync(join(dir, 'junk.pem'), 'not PEM at all\n');
const file = (path: string): TlsFile => ({ path, data: readFileSync(path) });
const junk = join(dir, 'junk.pem');

describe('tlsMaterialProblem', () => {
  it('accepts a certificate with its key, and a CA', () => {
    expect(tlsMaterialProblem(file(a.cert), file(a.key), undefined)).toBeUndefined();
    expect(tlsMaterialProblem(file(a.cert), file(a.key), file(b.cert))).toBeUndefined();
  });

  it.each([
    ['swapped', a.key, a.cert, undefined, 'cert_file', `${a.key} holds no PEM certificate, it holds a private key (cert_file and key_file the wrong way round?)`],
    ['a key for a certificate', a.key, a.key, undefined, 'cert_file', `${a.key} holds no PEM certificate, it holds a private key`],
    ['junk for a certificate', junk, a.key, undefined, 'cert_file', `${junk} holds no PEM certificate`],
    ['a certificate for a key', a.cert, b.cert, undefined, 'key_file', `${b.cert} holds no PEM private key, it holds a certificate`],
    ['junk for a key', a.cert, junk, undefined, 'key_file', `${junk} holds no PEM private key`],
    ['another certificate’s key', a.cert, b.key, undefined, 'key_file', `${b.key} is not the key of the certificate in cert_file ${a.cert}`],
    ['junk for a CA', a.cert, a.key, junk, 'client_ca_file', `${junk} holds no PEM certificate`],
    ['a pair OpenSSL will not serve with', weak.cert, weak.key, undefined, 'cert_file', `${weak.cert} with key_file ${weak.key}: error:0A00018F:SSL routines::ee key too small`],
  ])('names the field for %s', (_, cert, key, ca, field, message) => {
    expect(tlsMaterialProblem(file(cert), file(key), ca === undefined ? undefined : file(ca))).toEqual({ key: field, message });
  });
});
