// The web config's certificate and key, checked when the file is read: handed to the HTTPS server only
// after every BPF program is attached, a swapped or mismatched pair failed there with an OpenSSL line
// that named neither the file nor the field.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { createSecureContext } from 'node:tls';

export interface TlsFile {
  path: string;
  data: Buffer;
}

/** A problem with one field of `tls_server_config`. */
export interface TlsProblem {
  key: 'cert_file' | 'key_file' | 'client_ca_file';
  message: string;
}

const firstLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

function certificateIn(data: Buffer): X509Certificate | undefined {
  try {
    return new X509Certificate(data);
  } catch {
    return undefined;
  }
}

function privateKeyIn(data: Buffer): KeyObject | undefined {
  try {
    return createPrivateKey(data);
  } catch {
    return undefined;
  }
}

/** What is wrong with the server's TLS material, in the terms of the web config; undefined when it serves. */
export function tlsMaterialProblem(cert: TlsFile, key: TlsFile, ca: TlsFile | undefined): TlsProblem | undefined {
  const certificate = certificateIn(cert.data);
  const privateKey = privateKeyIn(key.data);
  if (!certificate) {
    const swapped = privateKeyIn(cert.data) !== undefined;
    const hint = swapped ? `, it holds a private key${certificateIn(key.data) ? ' (cert_file and key_file the wrong way round?)' : ''}` : '';
    return { key: 'cert_file', message: `${cert.path} holds no PEM certificate${hint}` };
  }
  if (!privateKey) {
    const hint = certificateIn(key.data) ? ', it holds a certificate' : '';
    return { key: 'key_file', message: `${key.path} holds no PEM private key${hint}` };
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    return { key: 'key_file', message: `${key.path} is not the key of the certificate in cert_file ${cert.path}` };
  }
  // OpenSSL passes over whatever in a CA file is not a certificate, so an empty or wrong one goes unnoticed.
  if (ca && !certificateIn(ca.data)) return { key: 'client_ca_file', message: `${ca.path} holds no PEM certificate` };
  try {
    createSecureContext({ cert: cert.data, key: key.data, ...(ca ? { ca: ca.data } : {}) });
  } catch (error) {
    return { key: 'cert_file', message: `${cert.path} with key_file ${key.path}: ${firstLine(error)}` };
  }
  return undefined;
}
