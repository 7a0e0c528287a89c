// The real worker threads (bcrypt-worker.ts run from source by Node's type stripping) and real bcrypt.
import bcrypt from 'bcryptjs';
import { afterAll, describe, expect, it } from 'vitest';
import { PasswordVerifier } from './password-verifier';

const verifier = new PasswordVerifier(2);
afterAll(() => verifier.close());

describe('PasswordVerifier', () => {
  const hash = bcrypt.hashSync('wonderland', 4);

  it('tells a matching password from a wrong one', async () => {
    expect(await verifier.check('wonderland', hash)).toBe(true);
    expect(await verifier.check('wonderlanD', hash)).toBe(false);
    expect(await verifier.check('', hash)).toBe(false);
  });

  it('answers every one of many concurrent checks, each with its own result', async () => {
    const guesses = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? 'wonderland' : `guess-${i}`));
    expect(await Promise.all(guesses.map((guess) => verifier.check(guess, hash)))).toEqual(guesses.map((guess) => guess === 'wonderland'));
  });

  it('answers false for a hash bcrypt cannot read', async () => {
    expect(await verifier.check('x', 'not a hash')).toBe(false);
  });

  it('keeps the event loop free while it checks', async () => {
    // A cost-12 check takes a few hundred ms of CPU; on the event loop no timer could fire meanwhile.
    const slow = bcrypt.hashSync('wonderland', 12);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await verifier.check('wrong', slow);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(5);
  });
});
