import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Kallsyms, parseKallsyms } from './kallsyms';

describe('Kallsyms on this host', () => {
  // The real /proc/kallsyms (readable with addresses as root): its format and size are what production sees.
  const text = readFileSync('/proc/kallsyms', 'utf8');

  it('parses every symbol line, sorted by address', () => {
    const table = parseKallsyms(text);
    const symbolLines = text.split('\n').filter((line) => line.split(' ').length >= 3).length;
    expect(table.names.length).toBe(symbolLines);
    const address = (i: number): bigint => (BigInt(table.high[i]!) << 32n) | BigInt(table.low[i]!);
    const unsorted = table.names.findIndex((_, i) => i > 0 && address(i) < address(i - 1));
    expect(unsorted).toBe(-1);
  });

  it('resolves real kernel functions exactly and inside their body', () => {
    const line = text.split('\n').find((entry) => / [Tt] schedule$/.test(entry));
    expect(line).toBeDefined();
    const address = BigInt(`0x${line!.split(' ')[0]}`);
    expect(address).not.toBe(0n); // zero would mean kptr_restrict hides addresses from this user
    const kallsyms = new Kallsyms(() => text);
    expect(kallsyms.exact(address)).toBe('schedule');
    expect(kallsyms.nearest([address + 4n])).toEqual(['schedule']);
  });
});
