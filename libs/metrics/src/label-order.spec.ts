import { describe, expect, it } from 'vitest';
import { renderLabelPairs } from './exposition/escape';
import { labelArenaOf } from './label-arena';
import { compareGoStrings, compareLabelValueLists, labelTextOrder } from './label-order';

/** Go's order of two label value lists: each value as its UTF-8 bytes, compared as Go compares strings. */
function goOrder(left: readonly string[], right: readonly string[]): number {
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const order = Buffer.compare(Buffer.from(left[i] as string, 'utf8'), Buffer.from(right[i] as string, 'utf8'));
    if (order !== 0) return order;
  }
  return Math.sign(left.length - right.length);
}

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

// Characters where the escaped text, UTF-16 and UTF-8 could each order differently: the escapes and the
// bytes below and around them (NUL, space, `!`, `"`, `,`, `=`, `\`, newline, `n`), multi-byte UTF-8, and
// the characters around the surrogates, where UTF-16 and UTF-8 part (U+E000..U+FFFF against U+10000 up).
const ALPHABET = ['a', 'b', 'n', '\u0000', '\u0001', '\n', ' ', '!', '"', '#', ',', '=', '\\', ']', '\u007f', 'é', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '😀', '\u{10000}', '\u{10ffff}'];

describe('the series order', () => {
  it('is Go’s byte order of the values, over label texts and over value lists alike', () => {
    const next = random(19);
    const value = () => Array.from({ length: Math.floor(next() * 6) }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');
    // Sets that share prefixes often, so differences fall inside words, at their ends and inside escapes.
    const base = Array.from({ length: 40 }, () => [value(), value()]);
    const sets = [...base, ...base.map(([first, second]) => [first as string, `${second}${value()}`]), ...base.map(([first]) => [`${first}${value()}`, value()])];
    const arena = labelArenaOf(sets.map((values) => renderLabelPairs(['first', 'second'], values)));
    const reversed = labelArenaOf([...sets].reverse().map((values) => renderLabelPairs(['first', 'second'], values)));
    const textOrder = labelTextOrder(arena, reversed);
    for (let i = 0; i < sets.length; i++) {
      for (let j = 0; j < sets.length; j++) {
        const [left, right] = [sets[i] as string[], sets[j] as string[]];
        const expected = goOrder(left, right);
        const pair = JSON.stringify([left, right]);
        expect(Math.sign(compareLabelValueLists(left, right)), pair).toBe(expected);
        expect(Math.sign(textOrder(i, sets.length - 1 - j)), pair).toBe(expected);
      }
    }
  });

  it('puts a character from U+10000 up after U+E000..U+FFFF, as Go does and UTF-16 does not', () => {
    expect('😀' < '\uffff').toBe(true);
    expect(Math.sign(compareGoStrings('😀', '\uffff'))).toBe(1);
    expect(Math.sign(compareGoStrings('\ue000', '\u{10000}'))).toBe(-1);
    const arena = labelArenaOf([renderLabelPairs(['l'], ['😀']), renderLabelPairs(['l'], ['\uffff'])]);
    expect(Math.sign(labelTextOrder(arena, arena)(0, 1))).toBe(1);
  });

  it('orders a value before its extensions, whatever byte follows it in the text', () => {
    // In the texts `l="a"` vs `l="a!"` the closing quote (0x22) is above `!` (0x21).
    const arena = labelArenaOf(['l="a"', 'l="a!"', 'l="a\\n"', 'l="a\\\\"', 'l="a\\""', 'l="a\u0000"']);
    const order = labelTextOrder(arena, arena);
    for (let i = 1; i < 6; i++) expect(Math.sign(order(0, i)), `text ${i}`).toBe(-1);
    // Escapes compare as the bytes they stand for: newline < `"` < `\`, NUL below all.
    expect([order(5, 2), order(2, 4), order(4, 3)].map(Math.sign)).toEqual([-1, -1, -1]);
  });

  it('tells equal texts equal, also across arenas and word boundaries', () => {
    const texts = ['', 'a="1"', 'a="1234567"', 'tenant="12",object="1234"'];
    const order = labelTextOrder(labelArenaOf(texts), labelArenaOf(texts));
    texts.forEach((_, i) => expect(order(i, i)).toBe(0));
  });
});
