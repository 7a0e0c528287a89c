// The Prometheus protobuf exposition: io.prometheus.client.MetricFamily messages, each preceded by its
// length (`encoding=delimited`), in the order and with the names client_golang's promhttp gives them (a
// counter keeps its `_total`, no +Inf bucket is written). It is the one format that carries native
// histograms (see native-histogram.ts). Field numbers are those of client_model's metrics.proto.
import { parseLabelValues } from './escape';
import { labelTextAt } from '../label-arena';
import type { HistogramSeries, MetricFamily, ScalarColumns } from '../model';
import { nativeBuckets } from './native-histogram';
import { ProtoWriter } from './proto-writer';
import { columnsOf, sortFamilies } from './sort-families';

/** What a histogram carries in the protobuf exposition. */
export interface HistogramEncoding {
  /** Schema-0 native buckets where the bounds allow them exactly (default true). */
  native?: boolean;
  /**
   * Classic buckets (default true). Off, they are left out only of histograms that have native buckets:
   * the others would be left with none.
   */
  classic?: boolean;
}

const TYPE_NUMBER: Record<MetricFamily['type'], number> = { counter: 0, gauge: 1, untyped: 3, histogram: 4 };
/** The Metric field that holds each type's value. */
const VALUE_FIELD: Record<Exclude<MetricFamily['type'], 'histogram'>, number> = { gauge: 2, counter: 3, untyped: 5 };

const FAMILY = { name: 1, help: 2, type: 3, metric: 4 } as const;
const METRIC = { label: 1, histogram: 7 } as const;
const LABEL = { name: 1, value: 2 } as const;
const HISTOGRAM = { count: 1, sum: 2, bucket: 3, schema: 5, zeroThreshold: 6, zeroCount: 7, positiveSpan: 12, positiveDelta: 13 } as const;
const BUCKET = { cumulativeCount: 1, upperBound: 2 } as const;
const SPAN = { offset: 1, length: 2 } as const;

/** A chunk is handed out once a family ends past this many bytes, so a large exposition streams. */
const CHUNK_TARGET = 1024 * 1024;

function labels(writer: ProtoWriter, names: readonly string[], values: readonly string[]): void {
  for (let i = 0; i < names.length; i++) {
    writer.begin(METRIC.label);
    writer.stringField(LABEL.name, names[i] as string);
    writer.stringField(LABEL.value, values[i] ?? '');
    writer.end();
  }
}

function scalarMetric(writer: ProtoWriter, valueField: number, names: readonly string[], values: readonly string[], value: number): void {
  writer.begin(FAMILY.metric);
  labels(writer, names, values);
  writer.begin(valueField);
  writer.doubleField(1, value);
  writer.end();
  writer.end();
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The name field of a LabelPair, encoded once per family. */
function encodedNames(names: readonly string[]): Uint8Array[] {
  return names.map((name) => {
    const writer = new ProtoWriter(64);
    writer.stringField(LABEL.name, name);
    return writer.take();
  });
}

/**
 * Column families keep each series' labels as rendered text (`a="x",b="y"`, see ScalarColumns): a value
 * without escapes is copied from between its quotes as the bytes it is, with no string made; one with a
 * backslash in its text is parsed back first.
 */
function columnMetrics(writer: ProtoWriter, valueField: number, columns: ScalarColumns): void {
  const { bytes, starts, ends } = columns.labels;
  const names = encodedNames(columns.labelNames);
  for (let i = 0; i < columns.values.length; i++) {
    const start = starts[i] as number;
    const end = ends[i] as number;
    const value = columns.values[i] as number;
    if (bytes.subarray(start, end).includes(BACKSLASH)) {
      scalarMetric(writer, valueField, columns.labelNames, parseLabelValues(labelTextAt(columns.labels, i)), value);
      continue;
    }
    writer.begin(FAMILY.metric);
    let at = start;
    for (const name of names) {
      const open = bytes.indexOf(QUOTE, at);
      const close = bytes.indexOf(QUOTE, open + 1);
      writer.begin(METRIC.label);
      writer.raw(name);
      writer.bytesField(LABEL.value, bytes, open + 1, close);
      writer.end();
      at = close + 1;
    }
    writer.begin(valueField);
    writer.doubleField(1, value);
    writer.end();
    writer.end();
  }
}

function histogramMetric(writer: ProtoWriter, series: HistogramSeries, encoding: HistogramEncoding): void {
  const native = encoding.native === false ? undefined : nativeBuckets(series.buckets, series.count);
  writer.begin(FAMILY.metric);
  labels(writer, series.labelNames, series.labelValues);
  writer.begin(METRIC.histogram);
  writer.uint64Field(HISTOGRAM.count, series.count);
  writer.doubleField(HISTOGRAM.sum, series.sum);
  if (native === undefined || encoding.classic !== false) {
    for (const bucket of series.buckets) {
      if (bucket.upperBound === Infinity) continue;
      writer.begin(HISTOGRAM.bucket);
      writer.uint64Field(BUCKET.cumulativeCount, bucket.cumulativeCount);
      writer.doubleField(BUCKET.upperBound, bucket.upperBound);
      writer.end();
    }
  }
  if (native !== undefined) {
    writer.sintField(HISTOGRAM.schema, native.schema);
    writer.doubleField(HISTOGRAM.zeroThreshold, native.zeroThreshold);
    writer.uint64Field(HISTOGRAM.zeroCount, native.zeroCount);
    // A native histogram with nothing in its buckets still needs a span, else it reads as a classic one.
    const spans = native.spans.length > 0 ? native.spans : [{ offset: 0, length: 0 }];
    for (const span of spans) {
      writer.begin(HISTOGRAM.positiveSpan);
      writer.sintField(SPAN.offset, span.offset);
      writer.uint64Field(SPAN.length, span.length);
      writer.end();
    }
    for (const delta of native.deltas) writer.sintField(HISTOGRAM.positiveDelta, delta);
  }
  writer.end();
  writer.end();
}

function family(writer: ProtoWriter, metricFamily: MetricFamily, encoding: HistogramEncoding): void {
  writer.beginDelimited();
  writer.stringField(FAMILY.name, metricFamily.name);
  writer.stringField(FAMILY.help, metricFamily.help);
  writer.uint64Field(FAMILY.type, TYPE_NUMBER[metricFamily.type]);
  if (metricFamily.type === 'histogram') {
    for (const series of metricFamily.series) histogramMetric(writer, series, encoding);
  } else {
    const valueField = VALUE_FIELD[metricFamily.type];
    const columns = columnsOf(metricFamily);
    if (columns) columnMetrics(writer, valueField, columns);
    else for (const series of metricFamily.series) scalarMetric(writer, valueField, series.labelNames, series.labelValues, series.value);
  }
  writer.end();
}

/**
 * The protobuf exposition of `families` (sorted and filtered as the text formats are), as chunks that
 * each end at a family's end. The chunks are the reader's: they come from no pool.
 */
export function* protobufChunks(families: readonly MetricFamily[], encoding: HistogramEncoding = {}): Generator<Uint8Array, void, undefined> {
  const writer = new ProtoWriter();
  for (const metricFamily of sortFamilies(families)) {
    family(writer, metricFamily, encoding);
    if (writer.byteLength >= CHUNK_TARGET) yield writer.take();
  }
  if (writer.byteLength > 0) yield writer.take();
}
