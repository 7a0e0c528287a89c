// What a basic auth request for a user the web config does not have is compared against. Refusing it
// must cost what refusing a wrong password costs, or response times confirm which user names exist: a
// fixed cost-10 dummy answered in 69 ms where a cost-12 user's wrong password took 276 ms.
import { createHash, createHmac } from 'node:crypto';
import bcrypt from 'bcryptjs';

/**
 * The digest half of a dummy hash. A compare costs what the cost field in the salt says whatever the
 * digest is, so no dummy has to be hashed at startup (a cost-12 one would take ~280 ms of every start);
 * no password hashes to this one, and unknown users are refused whatever the compare says.
 */
const DUMMY_DIGEST = 'unknownuserunknownuserunknownus';

/**
 * For each user name not in `users`, a hash whose compare costs what a configured user's does. With
 * users of different costs, each unknown name gets one of their costs, in the users' proportions, chosen
 * by a keyed hash of the name: the same name costs the same on every request and every restart, as a
 * real user does, so repeating requests cannot tell the two apart. (The highest cost for everyone would
 * single out the users below it; a random cost per request would single out unknown names by their
 * spread.) The key is derived from the configured hashes, secret to clients and stable across restarts.
 */
export function unknownUserHashes(users: ReadonlyMap<string, string>): (user: string) => string {
  const hashes = [...users.values()].sort();
  const costs = hashes.map((hash) => bcrypt.getRounds(hash));
  const dummies = new Map([...new Set(costs)].map((cost) => [cost, `${bcrypt.genSaltSync(cost)}${DUMMY_DIGEST}`]));
  const key = createHash('sha256').update(hashes.join('\n')).digest();
  return (user) => {
    const pick = createHmac('sha256', key).update(user).digest().readUInt32BE(0) % costs.length;
    return dummies.get(costs[pick] as number) as string;
  };
}
