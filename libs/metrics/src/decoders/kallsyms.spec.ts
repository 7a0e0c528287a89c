import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Kallsyms, parseKallsyms, symbolName } from './kallsyms';

describe('Kallsyms on this host', () => {
  // The real /proc/kallsyms (readable with addresses as root): its format and size are what production sees.
  const text = readFileSync('/proc/kallsyms', 'utf8');

  it('parses every symbol line, sorted by address', () => {
    const table = parseKallsyms(text);
    const symbolLines = text.split('\n').filter((line) => line.split(' ').length >= 3).length;
    expect(table.count).toBe(symbolLines);
    const address = (i: number): bigint => (BigInt(table.high[i]!) << 32n) | BigInt(table.low[i]!);
    const unsorted = Array.from({ length: table.count }, (_, i) => i).findIndex((i) => i > 0 && address(i) < address(i - 1));
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

describe('parseKallsyms', () => {
  it('keeps the third field as the name, module suffix included, in address order, file order on ties', () => {
    const text = [
      'ffffffffc0a01000 t nf_hook\t[nf_tables]',
      'ffffffff81000000 T _stext',
      'zzzz t not_an_address',
      ' t no_address',
      'ffffffff81000000 T startup_64',
      '12345678901234567 T too_many_digits',
      'only_two fields',
      '00000000 a zero_page extra field',
      '',
    ].join('\n');
    const table = parseKallsyms(text);
    const symbols = Array.from({ length: table.count }, (_, i) => [table.high[i]!.toString(16), table.low[i]!.toString(16), symbolName(table, i)]);
    expect(symbols).toEqual([
      ['0', '0', 'zero_page'],
      ['ffffffff', '81000000', '_stext'],
      ['ffffffff', '81000000', 'startup_64'],
      ['ffffffff', 'c0a01000', 'nf_hook\t[nf_tables]'],
    ]);
  });
});
