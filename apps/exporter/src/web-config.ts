// `--web.config.file`: TLS and basic authentication in the Prometheus exporter-toolkit format, so the
// web config files users already have for node_exporter and upstream work here unchanged.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ServerOptions } from 'node:https';
import { dirname, resolve } from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type YAMLMap } from 'yaml';
import { parseGoDuration } from '@ebpf-exporter/metrics';
import { describeFileError } from './file-errors';
import { opensslCiphers, opensslCurves, subjectAltNames, type Translated } from './go-tls-names';
import { PasswordVerifier, type PasswordCheck } from './password-verifier';
import { RateLimiter } from './rate-limiter';
import { tlsMaterialProblem, type TlsFile } from './tls-material';
import { unknownUserHashes } from './unknown-user-hashes';
import { VerifiedCredentials } from './verified-credentials';

const CLIENT_AUTH_TYPES = ['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'] as const;
type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];
const TLS_VERSIONS: Record<string, ServerOptions['minVersion']> = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' };
/**
 * A whole bcrypt hash as bcryptjs compares it: other versions and costs make it throw (a 500 on every
 * request), and another length makes it refuse at once, so that user's wrong passwords would cost nothing.
 */
const BCRYPT_HASH = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

export interface WebConfig {
  https?: ServerOptions;
  clientAuth: ClientAuthType;
  basicAuthUsers: Map<string, string>;
  headers: Record<string, string>;
  /** exporter-toolkit's rate_limit: a token every intervalMs, at most burst at once. */
  rateLimit?: { intervalMs: number; burst: number };
  /** client_allowed_sans, IP addresses in canonical form: a client certificate must carry one of these names. */
  allowedSans?: ReadonlySet<string>;
}

/**
 * The keys exporter-toolkit reads, by section. A key outside these is refused as it is there: a typo such
 * as `basic_auth_user:` would otherwise serve metrics without authentication. `http2` is read and ignored:
 * this server speaks HTTP/1.1 only.
 */
const KNOWN_KEYS: Record<string, readonly string[]> = {
  '': ['tls_server_config', 'http_server_config', 'basic_auth_users', 'rate_limit'],
  tls_server_config: [
    'cert', 'key', 'client_ca', 'cert_file', 'key_file', 'client_auth_type', 'client_ca_file', 'client_allowed_sans',
    'min_version', 'max_version', 'cipher_suites', 'prefer_server_cipher_suites', 'curve_preferences',
  ],
  http_server_config: ['headers', 'http2'],
  rate_limit: ['interval', 'burst'],
};

export class WebConfigError extends Error {}

class WebConfigReader {
  private readonly lines = new LineCounter();
  readonly root: YamlNode | null;

  constructor(readonly file: string, text: string) {
    const doc = parseDocument(text, { lineCounter: this.lines });
    const [problem] = doc.errors;
    if (problem) {
      const at = problem.linePos?.[0];
      throw new WebConfigError(`${file}:${at ? `${at.line}:${at.col}` : '1:1'}: ${problem.message.split('\n')[0]}`);
    }
    this.root = doc.contents as YamlNode | null;
  }

  fail(node: YamlNode | null | undefined, field: string, message: string): never {
    const pos = node?.range ? this.lines.linePos(node.range[0]) : { line: 1, col: 1 };
    throw new WebConfigError(`${this.file}:${pos.line}:${pos.col}: ${field}: ${message}`);
  }

  section(parent: YamlNode | null, key: string, field: string): YAMLMap | undefined {
    if (!parent) return undefined;
    if (!isMap(parent)) this.fail(parent, field, 'must be a mapping');
    const node = parent.get(key, true) as YamlNode | undefined;
    if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
    if (!isMap(node)) this.fail(node, `${field ? `${field}.` : ''}${key}`, 'must be a mapping');
    return node;
  }

  /** Refuses keys the section does not have (see KNOWN_KEYS). */
  keys(map: YAMLMap | undefined, section: string): void {
    const known = KNOWN_KEYS[section] as readonly string[];
    for (const pair of map?.items ?? []) {
      const keyNode = pair.key as YamlNode | null;
      const key = String(isScalar(keyNode) ? keyNode.value : keyNode);
      const field = section ? `${section}.${key}` : key;
      if (!known.includes(key)) this.fail(keyNode, field, `unknown key (${section ? `${section} has` : 'the top level has'} ${known.join(', ')})`);
    }
  }

  string(map: YAMLMap | undefined, key: string, field: string): { value: string; node: YamlNode } | undefined {
    const node = map?.get(key, true) as YamlNode | undefined;
    if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
    if (!isScalar(node) || typeof node.value !== 'string') this.fail(node, `${field}.${key}`, 'must be a string');
    return { value: node.value, node };
  }

  /** A list of strings (`cipher_suites:`, `client_allowed_sans:`), with the node of each entry. */
  strings(map: YAMLMap, key: string, field: string): { value: string; node: YamlNode }[] {
    const node = map.get(key, true) as YamlNode | undefined;
    if (node === undefined || (isScalar(node) && node.value === null)) return [];
    if (!isSeq(node)) return this.fail(node, `${field}.${key}`, 'must be a list');
    return node.items.map((item, index) => {
      const entry = item as YamlNode;
      if (!isScalar(entry) || typeof entry.value !== 'string') return this.fail(entry, `${field}.${key}[${index}]`, 'must be a string');
      return { value: entry.value, node: entry };
    });
  }

  /**
   * TLS material given either inline (`cert:`, PEM text) or as a file (`cert_file:`), as exporter-toolkit
   * takes it; both at once is refused there too.
   */
  material(map: YAMLMap, inlineKey: string, fileKey: string, field: string): (TlsFile & { node: YamlNode; key: string }) | undefined {
    const inline = this.string(map, inlineKey, field);
    const file = this.readFile(map, fileKey, field);
    if (inline && file) this.fail(inline.node, `${field}.${inlineKey}`, `and ${fileKey} are mutually exclusive: give one of them`);
    if (inline) return { path: `the inline ${inlineKey}`, data: Buffer.from(inline.value), node: inline.node, key: inlineKey };
    return file ? { ...file, key: fileKey } : undefined;
  }

  readFile(map: YAMLMap, key: string, field: string): (TlsFile & { node: YamlNode }) | undefined {
    const entry = this.string(map, key, field);
    if (!entry) return undefined;
    // exporter-toolkit resolves relative paths against the web config file's directory.
    const path = resolve(dirname(this.file), entry.value);
    try {
      return { path, data: readFileSync(path), node: entry.node };
    } catch (error) {
      return this.fail(entry.node, `${field}.${key}`, `cannot read ${path}: ${describeFileError(error)}`);
    }
  }
}

export function parseWebConfig(text: string, file: string): WebConfig {
  // Typed, so that its fail() (never) narrows what follows a refusal.
  const reader: WebConfigReader = new WebConfigReader(file, text);
  if (reader.root && !isMap(reader.root)) reader.fail(reader.root, 'web config', 'must be a mapping');
  reader.keys((reader.root as YAMLMap | null) ?? undefined, '');
  const tls = reader.section(reader.root, 'tls_server_config', '');
  reader.keys(tls, 'tls_server_config');
  const config: WebConfig = { clientAuth: 'NoClientCert', basicAuthUsers: new Map(), headers: {} };
  if (tls) {
    const field = 'tls_server_config';
    const cert = reader.material(tls, 'cert', 'cert_file', field);
    const key = reader.material(tls, 'key', 'key_file', field);
    if (!cert) reader.fail(tls, `${field}.cert_file`, 'is required for TLS (or cert, inline)');
    if (!key) reader.fail(tls, `${field}.key_file`, 'is required for TLS (or key, inline)');
    const authType = reader.string(tls, 'client_auth_type', field);
    if (authType && !(CLIENT_AUTH_TYPES as readonly string[]).includes(authType.value)) {
      reader.fail(authType.node, `${field}.client_auth_type`, `must be one of ${CLIENT_AUTH_TYPES.join(', ')}`);
    }
    config.clientAuth = (authType?.value as ClientAuthType | undefined) ?? 'NoClientCert';
    const ca = reader.material(tls, 'client_ca', 'client_ca_file', field);
    if (config.clientAuth.includes('Verify') && !ca) reader.fail(tls, `${field}.client_ca_file`, `is required with client_auth_type ${config.clientAuth}`);
    const problem = tlsMaterialProblem(cert, key, ca);
    if (problem) {
      const culprit = { cert_file: cert, key_file: key, client_ca_file: ca }[problem.key];
      reader.fail(culprit?.node, `${field}.${culprit?.key ?? problem.key}`, problem.message);
    }
    const sans = reader.strings(tls, 'client_allowed_sans', field);
    // As exporter-toolkit: the other types let a client in without a certificate, so with no SAN to check.
    if (sans.length > 0 && config.clientAuth !== 'RequireAnyClientCert' && config.clientAuth !== 'RequireAndVerifyClientCert') {
      reader.fail(sans[0]?.node, `${field}.client_allowed_sans`, 'needs client_auth_type RequireAnyClientCert or RequireAndVerifyClientCert');
    }
    if (sans.length > 0) config.allowedSans = new Set(sans.map(({ value }) => canonicalName(value)));
    const translated = (name: string, translate: (names: string[]) => Translated): string | undefined => {
      const entries = reader.strings(tls, name, field);
      if (entries.length === 0) return undefined;
      const result = translate(entries.map(({ value }) => value));
      if (!result.ok) return reader.fail(entries[result.index]?.node, `${field}.${name}[${result.index}]`, result.message);
      return result.value || undefined;
    };
    const ciphers = translated('cipher_suites', opensslCiphers);
    const ecdhCurve = translated('curve_preferences', opensslCurves);
    const preferServer = tls.get('prefer_server_cipher_suites', true) as YamlNode | undefined;
    if (preferServer !== undefined && !(isScalar(preferServer) && typeof preferServer.value === 'boolean')) reader.fail(preferServer, `${field}.prefer_server_cipher_suites`, 'must be true or false');
    const version = (name: string): ServerOptions['minVersion'] => {
      const entry = reader.string(tls, name, field);
      if (!entry) return undefined;
      const tlsVersion = TLS_VERSIONS[entry.value];
      if (!tlsVersion) reader.fail(entry.node, `${field}.${name}`, `must be one of ${Object.keys(TLS_VERSIONS).join(', ')}`);
      return tlsVersion;
    };
    config.https = {
      cert: cert.data,
      key: key.data,
      ...(ca ? { ca: ca.data } : {}),
      minVersion: version('min_version') ?? 'TLSv1.2',
      ...(version('max_version') ? { maxVersion: version('max_version') } : {}),
      requestCert: config.clientAuth !== 'NoClientCert',
      rejectUnauthorized: config.clientAuth === 'RequireAndVerifyClientCert',
      ...(ciphers ? { ciphers } : {}),
      ...(ecdhCurve ? { ecdhCurve } : {}),
      // exporter-toolkit's default is true: the server's order of cipher_suites wins.
      honorCipherOrder: !(isScalar(preferServer) && preferServer.value === false),
    };
  }
  const users = reader.section(reader.root, 'basic_auth_users', '');
  for (const pair of users?.items ?? []) {
    const user = String((pair.key as { value?: unknown })?.value ?? pair.key);
    const node = pair.value as YamlNode | null;
    const hash = isScalar(node) && typeof node.value === 'string' ? node.value : '';
    if (!BCRYPT_HASH.test(hash)) reader.fail(node ?? users ?? null, `basic_auth_users.${user}`, 'must be a bcrypt hash ($2a$, $2b$ or $2y$, cost 04 to 31, 60 characters)');
    config.basicAuthUsers.set(user, hash);
  }
  const http = reader.section(reader.root, 'http_server_config', '');
  reader.keys(http, 'http_server_config');
  const http2 = http?.get('http2', true) as YamlNode | undefined;
  if (http2 !== undefined && !(isScalar(http2) && (typeof http2.value === 'boolean' || http2.value === null))) reader.fail(http2, 'http_server_config.http2', 'must be true or false');
  const headers = reader.section(http ?? null, 'headers', 'http_server_config');
  for (const pair of headers?.items ?? []) config.headers[String((pair.key as { value?: unknown })?.value)] = String((pair.value as { value?: unknown })?.value);
  const rateLimit = readRateLimit(reader);
  if (rateLimit) config.rateLimit = rateLimit;
  return config;
}

/** IP addresses compare in their canonical form (OpenSSL writes IPv6 ones uncompressed); other names exactly. */
function canonicalName(name: string): string {
  if (isIP(name) !== 6) return name;
  return new URL(`http://[${name}]/`).hostname.slice(1, -1);
}

function allowedSan(rendered: string | undefined, allowed: ReadonlySet<string>): boolean {
  return subjectAltNames(rendered).some((name) => allowed.has(canonicalName(name)));
}

/** rate_limit as exporter-toolkit reads it: no limit while interval is 0 or missing. */
function readRateLimit(reader: WebConfigReader): WebConfig['rateLimit'] {
  const section = reader.section(reader.root, 'rate_limit', '');
  reader.keys(section, 'rate_limit');
  if (!section) return undefined;
  const interval = reader.string(section, 'interval', 'rate_limit');
  let intervalMs = 0;
  if (interval) {
    try {
      intervalMs = parseGoDuration(interval.value);
    } catch (error) {
      reader.fail(interval.node, 'rate_limit.interval', error instanceof Error ? error.message : String(error));
    }
  }
  if (intervalMs <= 0) return undefined;
  const burstNode = section.get('burst', true) as YamlNode | undefined;
  const burst = isScalar(burstNode) ? burstNode.value : undefined;
  // Go's limiter with a burst of 0 lets nothing through: refused rather than a server that answers only 429.
  if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1) reader.fail(burstNode ?? section, 'rate_limit.burst', 'must be a whole number of at least 1 when interval is set');
  return { intervalMs, burst };
}

export function loadWebConfig(file: string): WebConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new WebConfigError(`--web.config.file: cannot read ${file}: ${describeFileError(error)}`);
  }
  return parseWebConfig(text, file);
}

export interface AccessControlOptions {
  /** bcrypt's compare, off the main thread by default; tests pass one that records the hashes compared against. */
  compare?: PasswordCheck;
}

/**
 * An onRequest hook enforcing rate_limit (429), client certificates and basic auth as exporter-toolkit
 * does; 401 otherwise.
 */
export function accessControl(config: WebConfig, { compare = new PasswordVerifier().check }: AccessControlOptions = {}): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const verified = new VerifiedCredentials();
  const limiter = config.rateLimit ? new RateLimiter(config.rateLimit.intervalMs, config.rateLimit.burst) : undefined;
  const unknownUserHash = unknownUserHashes(config.basicAuthUsers);
  const unauthorized = (reply: FastifyReply, challenge: boolean) => {
    if (challenge) reply.header('www-authenticate', 'Basic');
    return reply.code(401).type('text/plain; charset=utf-8').send('Unauthorized\n');
  };
  return async (request, reply) => {
    for (const [name, value] of Object.entries(config.headers)) reply.header(name, value);
    if (limiter && !limiter.take()) return reply.code(429).type('text/plain; charset=utf-8').send('Too Many Requests\n');
    const socket = request.raw.socket as Partial<TLSSocket>;
    // Read once: each call builds the whole certificate object again.
    const checksPeer = config.clientAuth === 'RequireAnyClientCert' || config.clientAuth === 'VerifyClientCertIfGiven';
    const peer = checksPeer || config.allowedSans ? socket.getPeerCertificate?.() : undefined;
    if (checksPeer) {
      const presented = peer !== undefined && Object.keys(peer).length > 0;
      if (config.clientAuth === 'RequireAnyClientCert' && !presented) return unauthorized(reply, false);
      if (config.clientAuth === 'VerifyClientCertIfGiven' && presented && socket.authorized !== true) return unauthorized(reply, false);
    }
    if (config.allowedSans && !allowedSan(peer?.subjectaltname, config.allowedSans)) {
      // exporter-toolkit fails the handshake; the connection is ended here without an answer alike.
      request.raw.socket.destroy();
      return reply.hijack();
    }
    if (config.basicAuthUsers.size === 0) return;
    const header = request.headers.authorization ?? '';
    const match = /^Basic\s+(.+)$/i.exec(header);
    if (!match) return unauthorized(reply, true);
    const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon === -1 ? decoded : decoded.slice(0, colon);
    const password = colon === -1 ? '' : decoded.slice(colon + 1);
    const hash = config.basicAuthUsers.get(user);
    if (hash !== undefined && verified.has(user, password, hash)) return;
    const matches = await compare(password, hash ?? unknownUserHash(user)).catch(() => false);
    if (!matches || hash === undefined) return unauthorized(reply, true);
    verified.add(user, password, hash);
  };
}
