import { describe, expect, it } from 'vitest';
import { arenaSize, compareArenaTexts, LabelArenaBuilder, labelArenaOf, labelTextAt } from './label-arena';

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
    const sign = (i: number, j: number) => Math.sign(compareArenaTexts(arena, i, arena, j));
    expect([sign(0, 1), sign(1, 2), sign(2, 0), sign(0, 3)]).toEqual([-1, -1, 1, 0]);
  });
});
