import type { IntegerLineWriter } from '@ebpf-exporter/map-types';
import type { HistogramSeries, MetricFamily, ScalarSeries } from '../model';
import { escapeHelp, escapeQuoted, renderLabelPairs } from './escape';
import { formatGoFloat } from './go-float';
import { expositionPool, type ChunkPool } from './chunk-pool';
import { ChunkWriter } from './chunk-writer';
import { columnChunks, type ValueFormat } from './column-chunks';
import { columnsOf, sortFamilies } from './sort-families';

export type ExpositionFormat = 'text' | 'openmetrics';

/** Lines of series kept as objects are joined this many at a time before being encoded into the chunks. */
const SERIES_PER_BATCH = 2000;

/** client_golang's text writer prints 0 as `0` even for negative zero; everything else as Go's %g. */
function textFloat(n: number): string {
  return n === 0 ? '0' : formatGoFloat(n);
}

/** client_golang's OpenMetrics writer: like Go's %g, but integral values get a `.0` so they read as floats. */
function openMetricsFloat(n: number): string {
  if (n === 0) return '0.0';
  const text = formatGoFloat(n);
  return /[e.]|Inf|NaN/.test(text) ? text : `${text}.0`;
}

function labelPairs(series: ScalarSeries | HistogramSeries): string {
  return series.labelText ?? renderLabelPairs(series.labelNames, series.labelValues);
}

function withLabels(name: string, pairs: string): string {
  return pairs === '' ? name : `${name}{${pairs}}`;
}

function bucketSelector(name: string, pairs: string, le: string): string {
  return `${name}_bucket{${pairs === '' ? '' : `${pairs},`}le="${le}"}`;
}

interface Dialect extends ValueFormat {
  header(family: MetricFamily): string;
  scalarName(family: MetricFamily): string;
  count(n: number): string;
}

const TEXT_TYPE: Record<MetricFamily['type'], string> = {
  counter: 'counter',
  gauge: 'gauge',
  untyped: 'untyped',
  histogram: 'histogram',
};

const textDialect: Dialect = {
  header: (family) =>
    `# HELP ${family.name} ${escapeHelp(family.help)}\n# TYPE ${family.name} ${TEXT_TYPE[family.type]}\n`,
  scalarName: (family) => family.name,
  float: textFloat,
  integerSuffix: '',
  count: textFloat,
};

/** OpenMetrics names a counter family without `_total`; its samples carry the suffix. */
function openMetricsFamilyName(family: MetricFamily): string {
  return family.type === 'counter' && family.name.endsWith('_total') ? family.name.slice(0, -6) : family.name;
}

const openMetricsDialect: Dialect = {
  header: (family) => {
    const name = openMetricsFamilyName(family);
    const type = family.type === 'untyped' ? 'unknown' : family.type;
    return `# HELP ${name} ${escapeQuoted(family.help)}\n# TYPE ${name} ${type}\n`;
  },
  scalarName: (family) =>
    family.type === 'counter' ? `${openMetricsFamilyName(family)}_total` : openMetricsFamilyName(family),
  float: openMetricsFloat,
  integerSuffix: '.0',
  count: (n) => String(n),
};

function histogramLines(name: string, series: HistogramSeries, dialect: Dialect): string {
  const pairs = labelPairs(series);
  let out = '';
  let sawInf = false;
  for (const bucket of series.buckets) {
    if (bucket.upperBound === Infinity) sawInf = true;
    out += `${bucketSelector(name, pairs, dialect.float(bucket.upperBound))} ${dialect.count(bucket.cumulativeCount)}\n`;
  }
  if (!sawInf) out += `${bucketSelector(name, pairs, '+Inf')} ${dialect.count(series.count)}\n`;
  out += `${withLabels(`${name}_sum`, pairs)} ${dialect.float(series.sum)}\n`;
  out += `${withLabels(`${name}_count`, pairs)} ${dialect.count(series.count)}\n`;
  return out;
}

function* familyChunks(family: MetricFamily, dialect: Dialect, writer: ChunkWriter, options: ChunkOptions): Generator<Uint8Array, void, undefined> {
  writer.text(dialect.header(family));
  if (family.type !== 'histogram') {
    const columns = columnsOf(family);
    if (columns) {
      yield* columnChunks(writer, dialect.scalarName(family), columns, dialect, options.integerLines);
      return;
    }
  }
  // Lines are joined a batch at a time and the batch encoded: joining makes one flat string, where += would
  // build a rope of millions of small pieces for the garbage collector, and encodeInto per piece costs a call each.
  let lines: string[] = [];
  const flush = (): void => {
    writer.text(lines.join(''));
    lines = [];
  };
  if (family.type === 'histogram') {
    const name = openMetricsFamilyName(family);
    for (const series of family.series) {
      lines.push(histogramLines(name, series, dialect));
      if (lines.length >= SERIES_PER_BATCH) {
        flush();
        yield* writer.filled();
      }
    }
  } else {
    const name = dialect.scalarName(family);
    const labelled = `${name}{`;
    // The pieces of each line go into the batch one by one: join copies them once, with no string per line.
    let inBatch = 0;
    for (const series of family.series) {
      const pairs = labelPairs(series);
      if (pairs === '') lines.push(name, ' ');
      else lines.push(labelled, pairs, '} ');
      lines.push(dialect.float(series.value), '\n');
      if (++inBatch >= SERIES_PER_BATCH) {
        flush();
        yield* writer.filled();
        inBatch = 0;
      }
    }
  }
  flush();
}

export interface ChunkOptions {
  /** Writes runs of integer-valued lines of column families faster than JavaScript can (see IntegerLineWriter). */
  integerLines?: IntegerLineWriter;
  /** Where the chunks' buffers come from: expositionPool unless a test needs small chunks. */
  pool?: ChunkPool;
}

/**
 * The exposition as UTF-8 chunks, sorted like client_golang's Gather; concatenated they are
 * `formatText`/`formatOpenMetrics`. Each chunk is a view of a buffer of the pool (or, for a line longer
 * than a chunk, of its own): the reader owns it once yielded and gives it back to the pool once nothing
 * reads it any more; the writer goes on in other buffers. A chunk ends at a line's end or between two
 * characters, so each one is valid UTF-8 on its own. Stopping early (return()) gives back what was not
 * handed out.
 */
export function* expositionChunks(
  families: readonly MetricFamily[],
  format: ExpositionFormat,
  options: ChunkOptions = {},
): Generator<Uint8Array, void, undefined> {
  const dialect = format === 'openmetrics' ? openMetricsDialect : textDialect;
  const writer = new ChunkWriter(options.pool ?? expositionPool);
  try {
    for (const family of sortFamilies(families)) {
      yield* familyChunks(family, dialect, writer, options);
      yield* writer.filled();
    }
    if (format === 'openmetrics') writer.text('# EOF\n');
    writer.finish();
    yield* writer.filled();
  } finally {
    writer.abandon();
  }
}

const decoder = new TextDecoder();

function formatWhole(families: readonly MetricFamily[], format: ExpositionFormat): string {
  const parts: string[] = [];
  for (const chunk of expositionChunks(families, format)) {
    parts.push(decoder.decode(chunk));
    expositionPool.give(chunk);
  }
  return parts.join('');
}

/** Prometheus text exposition format 0.0.4, as client_golang writes it. */
export function formatText(families: readonly MetricFamily[]): string {
  return formatWhole(families, 'text');
}

/** OpenMetrics 1.0 text, as client_golang writes it. */
export function formatOpenMetrics(families: readonly MetricFamily[]): string {
  return formatWhole(families, 'openmetrics');
}
