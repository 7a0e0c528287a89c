import { describe, expect, it } from 'vitest';
import { VERIFIED_LIMIT, VERIFIED_TTL_MS, VerifiedCredentials } from './verified-credentials';

const HASH = '$2y$10$B1vs.cSJCZJMbMlFaESozuMVEbqupYiv/1qT4s4m1aLY7Riix6eKq';

describe('VerifiedCredentials', () => {
  it('remembers a verified pair for its hash only', () => {
    const verified = new VerifiedCredentials();
    verified.add('alice', 'wonderland', HASH);
    expect(verified.has('alice', 'wonderland', HASH)).toBe(true);
    expect(verified.has('alice', 'wonderland', HASH.replace('$10$', '$11$'))).toBe(false);
    expect(verified.has('alice', 'wonderlanD', HASH)).toBe(false);
  });

  it('never takes another split of the same bytes for a verified pair', () => {
    const verified = new VerifiedCredentials();
    verified.add('ali', 'ce:wonderland', HASH);
    expect(verified.has('alice', 'wonderland', HASH)).toBe(false);
    expect(verified.has('ali\0ce', 'wonderland', HASH)).toBe(false);
  });

  it('forgets a pair unused for longer than its time to live, and keeps one in use', () => {
    let now = 0;
    const verified = new VerifiedCredentials(() => now);
    verified.add('alice', 'a', HASH);
    verified.add('bob', 'b', HASH);
    now = VERIFIED_TTL_MS - 1;
    expect(verified.has('alice', 'a', HASH)).toBe(true);
    now = VERIFIED_TTL_MS + 1;
    expect(verified.has('bob', 'b', HASH)).toBe(false);
    expect(verified.has('alice', 'a', HASH)).toBe(true);
  });

  it('holds at most its limit, dropping the least recently used', () => {
    const verified = new VerifiedCredentials();
    for (let i = 0; i < VERIFIED_LIMIT; i++) verified.add(`user-${i}`, 'p', HASH);
    expect(verified.has('user-0', 'p', HASH)).toBe(true);
    verified.add('newcomer', 'p', HASH);
    expect(verified.has('user-1', 'p', HASH)).toBe(false);
    expect(verified.has('user-0', 'p', HASH)).toBe(true);
    expect(verified.has('newcomer', 'p', HASH)).toBe(true);
  });
});
