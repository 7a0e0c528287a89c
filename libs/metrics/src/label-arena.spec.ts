import { describe, expect, it } from 'vitest';
import { arenaSize, arenaTextOrder, LabelArenaBuilder, labelArenaOf, labelTextAt } from './label-arena';

describe('label arenas', () => {
  it('keep texts of any length and script through growth, and copy them from arena to arena', () => {
    const texts = ['', 'a="1"', 'b="ä€😀"', 'x'.repeat(1000), ...Array.from({ length: 100 }, (_, i) => `n="${i}"`)];
    const arena = labelArenaOf(texts);
    expect(arenaSize(arena)).toBe(texts.length);
    expect(texts.map((_, i) => labelTextAt(arena, i))).toEqual(texts);
    const copied = new LabelArenaBuilder(1, 1);
    for (let i = texts.length - 1; i >= 0; i--) expect(copied.copy(arena, i)).toBe(texts.length - 1 - i);
    const reversed = copied.finish();
    expect(texts.map((_, i) => labelTextAt(reversed, i))).toEqual([...texts].reverse());
  });

  it('compares texts as their bytes: shorter first when one is a prefix of the other', () => {
    const arena = labelArenaOf(['a="1"', 'a="10"', 'a="2"', 'a="1"']);
    const order = arenaTextOrder(arena, arena);
    const sign = (i: number, j: number) => Math.sign(order(i, j));
    expect([sign(0, 1), sign(1, 2), sign(2, 0), sign(0, 3)]).toEqual([-1, -1, 1, 0]);
  });

  it('orders any texts, across arenas, as their UTF-8 bytes, whether they differ inside a word or after', () => {
    // Lengths around the 4-byte steps, shared prefixes, and bytes above 0x7f (a signed compare would misplace them).
    const texts = ['', 'a', 'abcd', 'abce', 'abcde', 'abcdf', 'abcd\u00ff', 'abcd\u0080x', 'b="ä"', 'b="z"', 'tenant="12",object="123"', 'tenant="12",object="1234"', 'tenant="1",object="9"'];
    const left = labelArenaOf(texts);
    const right = labelArenaOf([...texts].reverse());
    const order = arenaTextOrder(left, right);
    const bytes = (text: string) => Array.from(new TextEncoder().encode(text));
    const byteOrder = (x: string, y: string) => {
      const [a, b] = [bytes(x), bytes(y)];
      for (let k = 0; k < Math.min(a.length, b.length); k++) if (a[k] !== b[k]) return Math.sign(a[k]! - b[k]!);
      return Math.sign(a.length - b.length);
    };
    for (let i = 0; i < texts.length; i++) {
      for (let j = 0; j < texts.length; j++) expect([i, j, Math.sign(order(i, texts.length - 1 - j))]).toEqual([i, j, byteOrder(texts[i]!, texts[j]!)]);
    }
  });
});
