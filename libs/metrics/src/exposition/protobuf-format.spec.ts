import { describe, expect, it } from 'vitest';
import { columnarFamily } from '../collector/columnar-family';
import { labelArenaOf } from '../label-arena';
import type { HistogramSeries, MetricFamily } from '../model';
import { renderLabelPairs } from './escape';
import { protobufChunks } from './protobuf-format';
import { concatChunks, decodeMetricFamilies } from '../testing/protobuf-exposition';

const decode = (families: MetricFamily[], encoding = {}): Record<string, unknown>[] => decodeMetricFamilies(concatChunks(protobufChunks(families, encoding)));

function histogram(labelValues: string[], bounds: number[], counts: number[], sum: number): HistogramSeries {
  let total = 0;
  const buckets = bounds.map((upperBound, i) => ({ upperBound, cumulativeCount: (total += counts[i] ?? 0) }));
  return { labelNames: ['op'], labelValues, buckets, sum, count: total };
}

describe('protobufChunks', () => {
  it('writes counters (name with _total), gauges and untyped families sorted as the text format, with their labels', () => {
    const families: MetricFamily[] = [
      { name: 'b_gauge', help: 'a gauge', type: 'gauge', series: [{ labelNames: [], labelValues: [], value: -1.5 }] },
      {
        name: 'a_total',
        help: 'a counter',
        type: 'counter',
        series: [
          { labelNames: ['x', 'y'], labelValues: ['2', 'é"\\'], value: 3 },
          { labelNames: ['x', 'y'], labelValues: ['1', ''], value: 0 },
        ],
      },
      { name: 'c', help: '', type: 'untyped', series: [{ labelNames: [], labelValues: [], value: NaN }] },
      { name: 'empty_total', help: 'dropped', type: 'counter', series: [] },
    ];
    expect(decode(families)).toEqual([
      {
        name: 'a_total',
        help: 'a counter',
        type: 0,
        metric: [
          { label: [{ name: 'x', value: '1' }, { name: 'y', value: '' }], counter: { value: 0 } },
          { label: [{ name: 'x', value: '2' }, { name: 'y', value: 'é"\\' }], counter: { value: 3 } },
        ],
      },
      { name: 'b_gauge', help: 'a gauge', type: 1, metric: [{ gauge: { value: -1.5 } }] },
      { name: 'c', help: '', type: 3, metric: [{ untyped: { value: NaN } }] },
    ]);
  });

  it('reads column families from their label texts, unescaping the values', () => {
    const names = ['path'];
    const texts = ['C:\\dir', 'line\nbreak', 'x'.repeat(300)].map((value) => renderLabelPairs(names, [value]));
    const family = columnarFamily('files_total', 'h', 'counter', { labelNames: names, labels: labelArenaOf(texts), values: Float64Array.from([1, 2, 2 ** 40]) });
    const [decoded] = decode([family]) as [{ metric: { label: { value: string }[]; counter: { value: number } }[] }];
    expect(decoded.metric.map((metric) => [metric.label[0]?.value, metric.counter.value])).toEqual([
      ['C:\\dir', 1],
      ['line\nbreak', 2],
      ['x'.repeat(300), 2 ** 40],
    ]);
  });

  it('copies unescaped column labels as their bytes, several labels and any UTF-8 included', () => {
    const names = ['tenant', 'object'];
    const values = [['1', 'ä€😀'], ['22', '']];
    const family = columnarFamily('ops_total', 'h', 'counter', {
      labelNames: names,
      labels: labelArenaOf(values.map((pair) => renderLabelPairs(names, pair))),
      values: Float64Array.from([5, 6]),
    });
    const [decoded] = decode([family]) as [{ metric: { label: { name: string; value: string }[] }[] }];
    expect(decoded.metric.map((metric) => metric.label.map((label) => `${label.name}=${label.value}`))).toEqual([
      ['tenant=1', 'object=ä€😀'],
      ['tenant=22', 'object='],
    ]);
  });

  it('writes power-of-two histograms with schema-0 native buckets beside the classic ones, without a +Inf bucket', () => {
    const bounds = [1, 2, 4, 8];
    const family: MetricFamily = { name: 'lat_seconds', help: 'h', type: 'histogram', series: [histogram(['read'], bounds, [3, 0, 2, 5], 40)] };
    const [decoded] = decode([family]) as [{ metric: { histogram: Record<string, unknown> }[] }];
    expect(decoded.metric[0]?.histogram).toEqual({
      sample_count: 10,
      sample_sum: 40,
      bucket: [
        { cumulative_count: 3, upper_bound: 1 },
        { cumulative_count: 3, upper_bound: 2 },
        { cumulative_count: 5, upper_bound: 4 },
        { cumulative_count: 10, upper_bound: 8 },
      ],
      schema: 0,
      zero_threshold: 0,
      zero_count: 0,
      positive_span: [{ offset: 0, length: 1 }, { offset: 1, length: 2 }],
      positive_delta: [3, -1, 3],
    });
  });

  it('keeps other bounds classic only, and honours the native and classic switches', () => {
    const micro: HistogramSeries = histogram(['read'], [1e-6, 2e-6], [1, 1], 2e-6);
    const exact: HistogramSeries = histogram(['write'], [1, 2], [1, 1], 3);
    const families: MetricFamily[] = [{ name: 'h', help: '', type: 'histogram', series: [micro, exact] }];
    const histograms = (encoding: object): Record<string, unknown>[] =>
      ((decode(families, encoding)[0] as { metric: { histogram: Record<string, unknown> }[] }).metric).map((metric) => metric.histogram);
    const [microDefault, exactDefault] = histograms({});
    expect(microDefault).not.toHaveProperty('positive_span');
    expect(microDefault?.['bucket']).toHaveLength(2);
    expect(exactDefault).toHaveProperty('positive_span');
    const [microNoClassic, exactNoClassic] = histograms({ classic: false });
    expect(microNoClassic?.['bucket']).toHaveLength(2);
    expect(exactNoClassic).not.toHaveProperty('bucket');
    expect(exactNoClassic?.['positive_delta']).toEqual([1, 0]);
    const [, exactNoNative] = histograms({ native: false });
    expect(exactNoNative).not.toHaveProperty('positive_span');
    expect(exactNoNative?.['bucket']).toHaveLength(2);
  });

  it('gives an empty native histogram the no-op span that tells it from a classic one', () => {
    const family: MetricFamily = { name: 'h', help: '', type: 'histogram', series: [histogram([''], [1, 2], [0, 0], 0)] };
    const [decoded] = decode([family], { classic: false }) as [{ metric: { histogram: Record<string, unknown> }[] }];
    expect(decoded.metric[0]?.histogram).toEqual({ sample_count: 0, sample_sum: 0, schema: 0, zero_threshold: 0, zero_count: 0, positive_span: [{ offset: 0, length: 0 }] });
  });

  it('frames families of more than one chunk and lengths of several varint bytes', () => {
    const series = Array.from({ length: 50_000 }, (_, i) => ({ labelNames: ['i'], labelValues: [String(i).padStart(6, '0')], value: i }));
    const chunks = [...protobufChunks([
      { name: 'a_total', help: 'h', type: 'counter', series },
      { name: 'b_total', help: 'h', type: 'counter', series },
    ])];
    expect(chunks.length).toBeGreaterThan(1);
    const families = decodeMetricFamilies(concatChunks(chunks)) as { name: string; metric: { counter: { value: number } }[] }[];
    expect(families.map((family) => [family.name, family.metric.length, family.metric.at(-1)?.counter.value])).toEqual([
      ['a_total', 50_000, 49_999],
      ['b_total', 50_000, 49_999],
    ]);
  });
});
