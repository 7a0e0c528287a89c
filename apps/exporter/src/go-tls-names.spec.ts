import { describe, expect, it } from 'vitest';
import { opensslCiphers, opensslCurves, subjectAltNames } from './go-tls-names';

describe('Go TLS names', () => {
  it('translates cipher suites, leaving TLS 1.3 ones to their defaults as Go does', () => {
    expect(opensslCiphers(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305'])).toEqual({ ok: true, value: 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305' });
    expect(opensslCiphers(['TLS_AES_256_GCM_SHA384'])).toEqual({ ok: true, value: '' });
  });

  it('refuses a suite Go does not offer as secure, naming its place', () => {
    const result = opensslCiphers(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA']);
    expect(result).toMatchObject({ ok: false, index: 1 });
    expect(!result.ok && result.message).toContain("TLS_RSA_WITH_3DES_EDE_CBC_SHA is not one of Go's secure cipher suites");
  });

  it('translates curves in order and refuses unknown ones', () => {
    expect(opensslCurves(['X25519', 'CurveP256', 'CurveP384'])).toEqual({ ok: true, value: 'X25519:P-256:P-384' });
    expect(opensslCurves(['P-256'])).toMatchObject({ ok: false, index: 0 });
  });

  it('reads subject alternative names as Node renders them, quoted ones included', () => {
    expect(subjectAltNames('DNS:prometheus.example, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, email:ops@example.com, URI:spiffe://example/prom')).toEqual([
      'prometheus.example',
      '127.0.0.1',
      '0:0:0:0:0:0:0:1',
      'ops@example.com',
      'spiffe://example/prom',
    ]);
    expect(subjectAltNames('DNS:"a, DNS:b", DNS:c')).toEqual(['a, DNS:b', 'c']);
    expect(subjectAltNames(undefined)).toEqual([]);
  });
});
