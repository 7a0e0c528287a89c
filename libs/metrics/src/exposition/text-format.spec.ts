import { describe, expect, it } from 'vitest';
import type { MetricFamily } from '../model';
import { columnarFamily } from '../collector/columnar-family';
import { labelArenaOf } from '../label-arena';
import { renderLabelPairs } from './escape';
import { expositionChunks, formatOpenMetrics, formatText } from './text-format';

const decoded = (chunks: Iterable<Uint8Array>): string[] => [...chunks].map((chunk) => new TextDecoder().decode(chunk));

const counter = (name: string, series: [Record<string, string>, number][], help = 'help'): MetricFamily => ({
  name,
  help,
  type: 'counter',
  series: series.map(([labels, value]) => ({ labelNames: Object.keys(labels), labelValues: Object.values(labels), value })),
});

describe('formatText', () => {
  it('sorts families by name and series by label values, and drops families without series', () => {
    const families: MetricFamily[] = [
      counter('b_total', [
        [{ x: 'b' }, 1],
        [{ x: 'a' }, 2],
        [{ x: 'B' }, 3],
      ]),
      counter('a_total', [[{}, 0.5]]),
      counter('empty_total', []),
    ];
    expect(formatText(families)).toBe(
      [
        '# HELP a_total help',
        '# TYPE a_total counter',
        'a_total 0.5',
        '# HELP b_total help',
        '# TYPE b_total counter',
        'b_total{x="B"} 3',
        'b_total{x="a"} 2',
        'b_total{x="b"} 1',
        '',
      ].join('\n'),
    );
  });

  it('escapes HELP (backslash, newline) and label values (backslash, quote, newline) like client_golang', () => {
    const text = formatText([counter('c_total', [[{ path: 'C:\\dir\n"x"\ttab' }, 1]], 'a \\ b\n"quoted"')]);
    expect(text).toBe('# HELP c_total a \\\\ b\\n"quoted"\n# TYPE c_total counter\nc_total{path="C:\\\\dir\\n\\"x\\"\ttab"} 1\n');
  });

  it('formats values with Go %g, including special values', () => {
    const text = formatText([
      {
        name: 'g',
        help: 'h',
        type: 'gauge',
        series: [-0, 1e6, 1e-7, NaN, Infinity, -Infinity].map((value, i) => ({ labelNames: ['i'], labelValues: [String(i)], value })),
      },
    ]);
    expect(text.split('\n').slice(2, -1)).toEqual(['g{i="0"} 0', 'g{i="1"} 1e+06', 'g{i="2"} 1e-07', 'g{i="3"} NaN', 'g{i="4"} +Inf', 'g{i="5"} -Inf']);
  });

  it('writes untyped families and histograms with an implicit +Inf bucket', () => {
    const families: MetricFamily[] = [
      { name: 'u', help: 'h', type: 'untyped', series: [{ labelNames: [], labelValues: [], value: 2 }] },
      {
        name: 'h',
        help: 'h',
        type: 'histogram',
        series: [
          {
            labelNames: ['op'],
            labelValues: ['read'],
            buckets: [
              { upperBound: 0.5, cumulativeCount: 1 },
              { upperBound: 1e6, cumulativeCount: 2000000 },
            ],
            sum: 12.5,
            count: 2000000,
          },
        ],
      },
    ];
    expect(formatText(families)).toBe(
      [
        '# HELP h h',
        '# TYPE h histogram',
        'h_bucket{op="read",le="0.5"} 1',
        'h_bucket{op="read",le="1e+06"} 2e+06',
        'h_bucket{op="read",le="+Inf"} 2e+06',
        'h_sum{op="read"} 12.5',
        'h_count{op="read"} 2e+06',
        '# HELP u h',
        '# TYPE u untyped',
        'u 2',
        '',
      ].join('\n'),
    );
  });
});

describe('formatOpenMetrics', () => {
  it('names counter families without _total, writes floats with .0, integer bucket counts, and # EOF', () => {
    const families: MetricFamily[] = [
      counter('requests_total', [[{ code: '200' }, 5]], 'Requests "served"'),
      counter('odd', [[{}, 1]]),
      { name: 'u', help: 'h', type: 'untyped', series: [{ labelNames: [], labelValues: [], value: 0 }] },
      {
        name: 'lat',
        help: 'h',
        type: 'histogram',
        series: [{ labelNames: [], labelValues: [], buckets: [{ upperBound: 1, cumulativeCount: 3 }], sum: 2, count: 4 }],
      },
    ];
    expect(formatOpenMetrics(families)).toBe(
      [
        '# HELP lat h',
        '# TYPE lat histogram',
        'lat_bucket{le="1.0"} 3',
        'lat_bucket{le="+Inf"} 4',
        'lat_sum 2.0',
        'lat_count 4',
        '# HELP odd help',
        '# TYPE odd counter',
        'odd_total 1.0',
        '# HELP requests Requests \\"served\\"',
        '# TYPE requests counter',
        'requests_total{code="200"} 5.0',
        '# HELP u h',
        '# TYPE u unknown',
        'u 0.0',
        '# EOF',
        '',
      ].join('\n'),
    );
  });
});

describe('expositionChunks', () => {
  it('splits large families into several chunks that concatenate to the whole text', () => {
    const big = counter(
      'big_total',
      Array.from({ length: 4500 }, (_, i): [Record<string, string>, number] => [{ i: String(i).padStart(5, '0') }, i]),
    );
    // 4500 lines of 24 bytes: two chunks of 64 KiB.
    const chunks = decoded(expositionChunks([big], 'text'));
    expect(chunks.length).toBe(2);
    expect(chunks.join('')).toBe(formatText([big]));
    expect(decoded(expositionChunks([big], 'openmetrics')).at(-1)?.endsWith('# EOF\n')).toBe(true);
  });
});

describe('families kept in columns', () => {
  it('are written byte for byte as the same series given as objects, in both formats', () => {
    const labelNames = ['comm', 'cpu'];
    const rows: [string[], number][] = [
      [['bash', '0'], 1],
      [['cron', '1'], 1048576],
      [['we"ird\\comm\nä', '0'], 0.25],
      [['zsh', '12'], -3e-7],
      [['zz', '0'], 0],
      [['zz', '1'], 999999],
      [['zz', '2'], -0],
    ];
    const texts = rows.map(([values]) => renderLabelPairs(labelNames, values));
    const columnar = columnarFamily('m_total', 'help', 'counter', { labelNames, labels: labelArenaOf(texts), values: Float64Array.from(rows, ([, value]) => value) });
    const objects: MetricFamily = { name: 'm_total', help: 'help', type: 'counter', series: rows.map(([labelValues, value]) => ({ labelNames, labelValues, value })) };
    expect(formatText([columnar])).toBe(formatText([objects]));
    expect(formatOpenMetrics([columnar])).toBe(formatOpenMetrics([objects]));
    // A metric without labels: one empty label text.
    const bare = columnarFamily('n_total', 'help', 'counter', { labelNames: [], labels: labelArenaOf(['']), values: Float64Array.of(7) });
    expect(formatText([bare])).toBe('# HELP n_total help\n# TYPE n_total counter\nn_total 7\n');
  });

  it('copies texts of every length, out of order, from a view, at the end of the arena and longer than a chunk', () => {
    const labelNames = ['l'];
    // Lengths 0-9 cover every remainder of the word copies; the last text ends the arena's bytes (copied
    // byte by byte), and one text is longer than a whole chunk.
    const rows: [string[], number][] = [...Array.from({ length: 3000 }, (_, i): [string[], number] => [['x'.repeat(i % 10) + String(i).padStart(4, '0')], i]), [['y'.repeat(70_000)], 1.5]];
    const texts = rows.map(([values]) => renderLabelPairs(labelNames, values));
    const arena = labelArenaOf(texts);
    // The same texts behind a 3-byte prefix, series in reverse order over the bytes.
    const shifted = new Uint8Array(arena.bytes.length + 3);
    shifted.set(arena.bytes, 3);
    const order = rows.map((_, i) => rows.length - 1 - i);
    const labels = {
      bytes: shifted.subarray(3),
      starts: Int32Array.from(order, (i) => arena.starts[i]!),
      ends: Int32Array.from(order, (i) => arena.ends[i]!),
    };
    const columnar = columnarFamily('m_total', 'help', 'counter', { labelNames, labels, values: Float64Array.from(order, (i) => rows[i]![1]) });
    // Column families are written in their own order (the collector sorted them), so the lines are expected as they are.
    const lines = order.map((i) => `m_total{${texts[i]}} ${rows[i]![1]}\n`);
    expect([...expositionChunks([columnar], 'text')].length).toBeGreaterThan(2);
    expect(formatText([columnar])).toBe(`# HELP m_total help\n# TYPE m_total counter\n${lines.join('')}`);
  });
});
