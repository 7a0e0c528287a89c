import { describe, expect, it } from 'vitest';
import { formatGoFloat } from './go-float';

// Expected strings are what Go 1.22's strconv.FormatFloat(f, 'g', -1, 64) prints.
const cases: [number, string][] = [
  [0, '0'],
  [-0, '-0'],
  [1, '1'],
  [-1, '-1'],
  [42, '42'],
  [0.5, '0.5'],
  [1e-6, '1e-06'],
  [2e-6, '2e-06'],
  [1.6e-5, '1.6e-05'],
  [6.4e-5, '6.4e-05'],
  [0.0001, '0.0001'],
  [0.000128, '0.000128'],
  [134.217728, '134.217728'],
  [1824 * 1e-6, '0.0018239999999999999'],
  [999999, '999999'],
  [1e6, '1e+06'],
  [1048576, '1.048576e+06'],
  [16647749632, '1.6647749632e+10'],
  [123456.5, '123456.5'],
  [-2.5e-7, '-2.5e-07'],
  [1e21, '1e+21'],
  [1e100, '1e+100'],
  [5e-324, '5e-324'],
  [1.7976931348623157e308, '1.7976931348623157e+308'],
  [2 ** 53, '9.007199254740992e+15'],
  [0.1 + 0.2, '0.30000000000000004'],
  [Infinity, '+Inf'],
  [-Infinity, '-Inf'],
  [NaN, 'NaN'],
];

describe('formatGoFloat', () => {
  it.each(cases)('formats %s as %s', (input, expected) => {
    expect(formatGoFloat(input)).toBe(expected);
  });
});
