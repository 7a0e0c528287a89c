import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loopbackIsUp } from './loopback';

describe('loopbackIsUp', () => {
  const flagsFile = (flags: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'lo-')), 'flags');
    writeFileSync(file, `${flags}\n`);
    return file;
  };

  it('reads IFF_UP from the sysfs flags word', () => {
    expect(loopbackIsUp(flagsFile('0x9'))).toBe(true); // UP | LOOPBACK
    expect(loopbackIsUp(flagsFile('0x8'))).toBe(false); // LOOPBACK only: a fresh VM guest
  });

  it('sees the host loopback up', () => {
    expect(loopbackIsUp()).toBe(true); // the host's lo is up; the runner relies on it
  });
});
