// The short memory of successful basic-auth checks that exporter-toolkit keeps too: Prometheus sends the
// same credentials every scrape, and bcrypt is deliberately slow.
import { createHmac, randomBytes } from 'node:crypto';

/** How long a verified user/password pair is taken without bcrypt since its last use. */
export const VERIFIED_TTL_MS = 60_000;
/** Pairs remembered at most; the oldest goes first. */
export const VERIFIED_LIMIT = 100;

export class VerifiedCredentials {
  /** Keyed by an HMAC under a key made at startup, so no one can compute a key offline. */
  private readonly secret = randomBytes(32);
  private readonly entries = new Map<string, number>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * Length-prefixed fields, so no split of the same bytes between user and password gives the same key, and
   * the stored hash is part of it: a pair verified against one hash is not taken for another.
   */
  private key(user: string, password: string, hash: string): string {
    const mac = createHmac('sha256', this.secret);
    for (const field of [user, password, hash]) {
      const bytes = Buffer.from(field, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      mac.update(length).update(bytes);
    }
    return mac.digest('base64');
  }

  has(user: string, password: string, hash: string): boolean {
    const key = this.key(user, password, hash);
    const seen = this.entries.get(key);
    if (seen === undefined) return false;
    this.entries.delete(key);
    if (this.now() - seen > VERIFIED_TTL_MS) return false;
    this.entries.set(key, this.now());
    return true;
  }

  add(user: string, password: string, hash: string): void {
    const key = this.key(user, password, hash);
    this.entries.delete(key);
    this.entries.set(key, this.now());
    // Map keeps insertion order, and has() moves a used pair to the end: the first one is the least recent.
    while (this.entries.size > VERIFIED_LIMIT) this.entries.delete(this.entries.keys().next().value as string);
  }
}
