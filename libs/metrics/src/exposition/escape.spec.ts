import { describe, expect, it } from 'vitest';
import { parseLabelValues, renderLabelPairs } from './escape';

describe('renderLabelPairs / parseLabelValues', () => {
  it('renders label pairs as the exposition formats write them', () => {
    expect(renderLabelPairs(['a', 'b'], ['x', 'say "hi"\\\n'])).toBe('a="x",b="say \\"hi\\"\\\\\\n"');
    expect(renderLabelPairs([], [])).toBe('');
  });

  it.each([[[]], [['a']], [['', '']], [['x,y="z"', 'b\\c\nd']], [['"', '\\', ',', 'a=","b']], [['\\"', '\n\n', 'ünïcode']]])(
    'gives back the values that were rendered: %j',
    (values: string[]) => {
      const names = values.map((_, i) => `label_${i}`);
      expect(parseLabelValues(renderLabelPairs(names, values))).toEqual(values);
    },
  );
});
