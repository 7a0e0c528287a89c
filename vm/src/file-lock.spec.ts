import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { withFileLock } from './file-lock.ts';

describe('withFileLock', () => {
  it('runs holders of the same lock one after the other', async () => {
    const lock = join(await mkdtemp(join(tmpdir(), 'lock-')), 'kernel.lock');
    const events: string[] = [];
    const holder = (name: string) =>
      withFileLock(lock, async () => {
        events.push(`${name} in`);
        await sleep(150);
        events.push(`${name} out`);
        return name;
      });
    await expect(Promise.all([holder('a'), holder('b')])).resolves.toEqual(['a', 'b']);
    expect([events[0]?.slice(2), events[1]?.slice(2)]).toEqual(['in', 'out']);
    expect(events[0]?.[0]).toBe(events[1]?.[0]);
  });

  it('releases the lock when the work throws', async () => {
    const lock = join(await mkdtemp(join(tmpdir(), 'lock-')), 'kernel.lock');
    await expect(withFileLock(lock, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(withFileLock(lock, async () => 'again')).resolves.toBe('again');
  });
});
