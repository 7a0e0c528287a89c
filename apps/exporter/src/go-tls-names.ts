// exporter-toolkit's TLS settings name Go's crypto/tls constants; Node's TLS (OpenSSL) takes OpenSSL's
// names. These tables translate the ones Go offers as secure (tls.CipherSuites(), tls.CurveID), so a web
// config written for node_exporter means the same here.

/** Go's secure TLS 1.0-1.2 cipher suites, with the older aliases Go still accepts. */
const TLS12_SUITES: Record<string, string> = {
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
};

/** Go lists the TLS 1.3 suites too but does not let a config choose them; neither does this. */
const TLS13_SUITES = new Set(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']);

const CURVES: Record<string, string> = {
  CurveP256: 'P-256',
  CurveP384: 'P-384',
  CurveP521: 'P-521',
  X25519: 'X25519',
  X25519MLKEM768: 'X25519MLKEM768',
};

export type Translated = { ok: true; value: string } | { ok: false; index: number; message: string };

/** `cipher_suites` as Node's `ciphers` option (OpenSSL's list, which leaves TLS 1.3's suites at their defaults). */
export function opensslCiphers(names: readonly string[]): Translated {
  const ciphers: string[] = [];
  for (const [index, name] of names.entries()) {
    if (TLS13_SUITES.has(name)) continue;
    const cipher = TLS12_SUITES[name];
    if (!cipher) return { ok: false, index, message: `${name} is not one of Go's secure cipher suites (${Object.keys(TLS12_SUITES).join(', ')})` };
    ciphers.push(cipher);
  }
  // Only TLS 1.3 names: Go then keeps its defaults for TLS 1.2, and so does Node without the option.
  return { ok: true, value: ciphers.join(':') };
}

/** `curve_preferences` as Node's `ecdhCurve` option, in the same order. */
export function opensslCurves(names: readonly string[]): Translated {
  const curves: string[] = [];
  for (const [index, name] of names.entries()) {
    const curve = CURVES[name];
    if (!curve) return { ok: false, index, message: `${name} is not a curve Go knows (${Object.keys(CURVES).join(', ')})` };
    curves.push(curve);
  }
  return { ok: true, value: curves.join(':') };
}

/**
 * The DNS names, IP addresses, e-mail addresses and URIs of a certificate's subjectAltName, as Node's
 * X509Certificate renders it (`DNS:a, IP Address:1.2.3.4`; a value with a comma or quote comes JSON-quoted).
 */
export function subjectAltNames(rendered: string | undefined): string[] {
  const names: string[] = [];
  for (const match of (rendered ?? '').matchAll(/(?:^|, )(?:DNS|IP Address|email|URI):("(?:[^"\\]|\\.)*"|[^,]*)/g)) {
    const value = match[1] ?? '';
    names.push(value.startsWith('"') ? (JSON.parse(value) as string) : value);
  }
  return names;
}
