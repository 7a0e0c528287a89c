import { describe, expect, it } from 'vitest';
import { parseExposition } from './exposition';

describe('parseExposition', () => {
  it('reads counters, escaped label values and Go-formatted floats', () => {
    const text = [
      '# HELP ebpf_exporter_x_total Something',
      '# TYPE ebpf_exporter_x_total counter',
      'ebpf_exporter_x_total{kstack="a\\nb",path="C:\\\\x",q="say \\"hi\\""} 3',
      'ebpf_exporter_h_bucket{le="1e-06"} 0',
      'ebpf_exporter_h_bucket{le="+Inf"} 2',
      'ebpf_exporter_h_sum 1.6e-05',
      'up 1 1700000000000',
      '',
    ].join('\n');

    expect(parseExposition(text)).toEqual([
      { name: 'ebpf_exporter_x_total', labels: { kstack: 'a\nb', path: 'C:\\x', q: 'say "hi"' }, value: 3 },
      { name: 'ebpf_exporter_h_bucket', labels: { le: '1e-06' }, value: 0 },
      { name: 'ebpf_exporter_h_bucket', labels: { le: '+Inf' }, value: 2 },
      { name: 'ebpf_exporter_h_sum', labels: {}, value: 1.6e-5 },
      { name: 'up', labels: {}, value: 1 },
    ]);
  });

  it('names the line that is not a sample', () => {
    expect(() => parseExposition('ok 1\nnot a sample at all\n')).toThrow(/line 2/);
  });

  it('rejects a broken label list', () => {
    expect(() => parseExposition('x{a="1",b=2} 1')).toThrow(/line 1: bad label list/);
  });
});
