import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { unknownUserHashes } from './unknown-user-hashes';

// Hashes of cost 12, 5 and 14 written out: they are only read for their cost, never compared here.
const COST_12 = '$2y$12$1HqV4ZPHKX6IrjNsEXGKzeQF1Ki7PHUBVFMgeI0aL/eLOnA2vSLzW';
const COST_5 = '$2b$05$QGIhn6Yc7KHN8yEwDkqUveF0tc6tv7O5z3Wq3lD8kzVQqOr4VsqCy';
const COST_14 = '$2a$14$F6hLzVg2ZC1wK6c3p1H7kO0oGg5.sk9xYt4sWDK2nW0m9m1h3t4bC';
const names = Array.from({ length: 1000 }, (_, i) => `user-${i}`);

describe('unknownUserHashes', () => {
  it('gives unknown users the cost of the one configured user', () => {
    const hashFor = unknownUserHashes(new Map([['alice', COST_12]]));
    for (const name of ['bob', 'alicE', '', 'x'.repeat(500)]) {
      expect(hashFor(name)).toMatch(/^\$2b\$12\$[./A-Za-z0-9]{53}$/);
      expect(bcrypt.getRounds(hashFor(name))).toBe(12);
    }
  });

  it('spreads unknown names over the users’ costs, in their proportions', () => {
    const hashFor = unknownUserHashes(new Map([['a', COST_5], ['b', COST_14], ['c', COST_14], ['d', COST_14]]));
    const costs = names.map((name) => bcrypt.getRounds(hashFor(name)));
    expect(new Set(costs)).toEqual(new Set([5, 14]));
    // 250 of 1000 expected at cost 5: far outside ±100 is one chance in millions, and the pick is deterministic.
    expect(costs.filter((cost) => cost === 5).length).toBeGreaterThan(150);
    expect(costs.filter((cost) => cost === 5).length).toBeLessThan(350);
  });

  it('gives one name the same cost on every request and after a restart', () => {
    const users = new Map([['a', COST_5], ['b', COST_14]]);
    const first = unknownUserHashes(users);
    const restarted = unknownUserHashes(new Map([...users].reverse()));
    for (const name of names) {
      const cost = bcrypt.getRounds(first(name));
      expect(bcrypt.getRounds(first(name))).toBe(cost);
      expect(bcrypt.getRounds(restarted(name))).toBe(cost);
    }
  });

  it('never matches a password', async () => {
    const hash = unknownUserHashes(new Map([['a', COST_5]]))('nobody');
    for (const password of ['', 'password', 'unknownuser']) expect(await bcrypt.compare(password, hash)).toBe(false);
  });
});
