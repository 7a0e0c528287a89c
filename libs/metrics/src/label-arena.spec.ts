import { describe, expect, it } from 'vitest';
import { arenaSize, LabelArenaBuilder, labelArenaOf, labelTextAt } from './label-arena';

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
});
