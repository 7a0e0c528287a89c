// Throwaway self-signed certificates for the TLS specs, made by the openssl CLI (Node cannot issue
// certificates): EC P-256 by default, so a pair takes milliseconds.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Writes `<name>.crt` and `<name>.key` into `dir`; returns their paths. */
export function selfSigned(dir: string, name: string, newkey: string[] = ['ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1']): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', ...newkey, '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${name}`], {
    stdio: 'ignore',
  });
  return { cert, key };
}
