// Which exposition a scrape gets, from its Accept header: Prometheus text 0.0.4, OpenMetrics 1.0 (both
// through expositionChunks, unchanged) or the protobuf MetricFamily stream that carries native histograms.
import {
  expositionChunks,
  negotiateScrapeFormat,
  protobufChunks,
  type HistogramEncoding,
  type IntegerLineWriter,
  type MetricFamily,
} from '@ebpf-exporter/metrics';

export interface ExpositionOptions {
  /** The addon's writer of integer-valued lines (text formats only). */
  integerLines?: IntegerLineWriter;
  /** What a histogram carries in protobuf (--histograms.native, --histograms.classic). */
  histograms?: HistogramEncoding;
}

export interface NegotiatedExposition {
  contentType: string;
  /** The exposition of `families`; chunks of the text formats are expositionPool's, protobuf ones nobody's. */
  chunks(families: readonly MetricFamily[]): Iterator<Uint8Array>;
}

/**
 * Media types that @fastify/compress's list (mime-db) does not call compressible but a scrape's body is:
 * OpenMetrics (what Prometheus 3 asks for first without native histograms) and protobuf (with them).
 */
export const COMPRESSIBLE_EXPOSITIONS = /^application\/(openmetrics-text|vnd\.google\.protobuf)(;|$)/;

export function negotiateExposition(accept: string | undefined, options: ExpositionOptions = {}): NegotiatedExposition {
  const negotiated = negotiateScrapeFormat(accept);
  if (negotiated.format === 'protobuf') {
    return { contentType: negotiated.contentType, chunks: (families) => protobufChunks(families, options.histograms) };
  }
  const { format, contentType } = negotiated;
  const chunkOptions = options.integerLines ? { integerLines: options.integerLines } : {};
  return { contentType, chunks: (families) => expositionChunks(families, format, chunkOptions) };
}
