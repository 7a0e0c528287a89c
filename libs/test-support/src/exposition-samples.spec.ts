import { describe, expect, it } from 'vitest';
import { freePort } from './free-port';
import { parseSamples } from './exposition-samples';

describe('parseSamples', () => {
  it('reads names, escaped label values and Go-formatted numbers, skipping comments', () => {
    const text = '# HELP x help\n# TYPE x counter\nx{a="1",b="q\\"uo\\\\te\\nnl"} 1.6e-05\ny 3\nz{le="+Inf"} +Inf\n';
    expect(parseSamples(text)).toEqual([
      { name: 'x', labels: { a: '1', b: 'q"uo\\te\nnl' }, value: 1.6e-5 },
      { name: 'y', labels: {}, value: 3 },
      { name: 'z', labels: { le: '+Inf' }, value: Infinity },
    ]);
  });

  it('refuses a line that is not a sample', () => {
    expect(() => parseSamples('x{a="1"}\n')).toThrow('unparsable exposition line: x{a="1"}');
  });
});

describe('freePort', () => {
  it('returns distinct usable ports', async () => {
    const [a, b] = await Promise.all([freePort(), freePort()]);
    expect(a).toBeGreaterThan(0);
    expect(a).not.toBe(b);
  });
});
