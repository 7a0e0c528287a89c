import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveKaddrs } from './kaddrs';

describe('resolveKaddrs', () => {
  const kallsyms = 'ffffffff81000000 T _stext\nffffffff82a1b2c0 D bpf_jit_current\nffffffffc0001000 t helper\t[loop]\n';

  it('returns the address of each symbol', () => {
    expect(resolveKaddrs(kallsyms, ['bpf_jit_current'])).toEqual(new Map([['bpf_jit_current', 0xffffffff82a1b2c0n]]));
  });

  it('names every missing symbol', () => {
    expect(() => resolveKaddrs(kallsyms, ['nope', 'helper'])).toThrow('kaddrs: symbols nope, helper not found in /proc/kallsyms');
  });

  it('finds a real symbol in this kernel', () => {
    const real = resolveKaddrs(readFileSync('/proc/kallsyms', 'latin1'), ['_stext']);
    expect(real.get('_stext')).toBeGreaterThan(0n);
  });
});
