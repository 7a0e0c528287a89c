import { describe, expect, it } from 'vitest';
import type { ScalarSeries } from '../model';
import { compareLabelValues, labelValuesSortKey } from './sort-families';

const series = (labelValues: string[]): ScalarSeries => ({ labelNames: labelValues.map((_, i) => `l${i}`), labelValues, value: 0 });

describe('labelValuesSortKey', () => {
  it('orders label sets exactly as compareLabelValues does, NULs, prefixes and empty values included', () => {
    const alphabet = ['', 'a', 'b', 'ab', '\u0000', 'a\u0000', '\u0001', ' ', 'ä', '\uffff'];
    let state = 11;
    const pick = () => alphabet[(state = (Math.imul(state, 1103515245) + 12345) >>> 0) % alphabet.length] as string;
    const sets = Array.from({ length: 400 }, () => [pick() + pick(), pick(), pick() + pick() + pick()]);
    for (let i = 0; i < sets.length; i++) {
      for (let j = 0; j < sets.length; j += 7) {
        const left = sets[i] as string[];
        const right = sets[j] as string[];
        const byKey = Math.sign(labelValuesSortKey(left) < labelValuesSortKey(right) ? -1 : labelValuesSortKey(left) > labelValuesSortKey(right) ? 1 : 0);
        expect(byKey, JSON.stringify([left, right])).toBe(Math.sign(compareLabelValues(series(left), series(right))));
      }
    }
  });
});
