// Public API of @ebpf-exporter/metrics: config, decoders, collection and exposition, all free of Node APIs.
export type { HistogramBucket, HistogramSeries, LabelArena, MapDump, MapSource, MetricFamily, ReadMapOptions, ScalarColumns, ScalarSeries, ScalarType } from './model';

export { ConfigError } from './config/config-error';
export { parseConfig } from './config/parse-config';
export { validateConfigAgainstMaps, type MapInfo } from './config/validate-maps';
export { checkLabelLayouts, formatLayoutFindings, type LayoutFinding } from './config/label-layout-check';
export { renderLayout } from './config/btf-layout';
export { renderScaffold, scaffoldMetrics, type Scaffold, type ScaffoldMetric } from './config/scaffold-config';
export type {
  BucketType,
  CgroupIdMapConfig,
  Config,
  CounterConfig,
  DecoderConfig,
  HistogramConfig,
  LabelConfig,
  SourcePosition,
  SpanConfig,
} from './config/types';

export { SKIP, type DecoderEnvironment, type Skip } from './decoders/decoder';
export { DECODER_NAMES, type DecoderName } from './decoders/decoder-names';
export { createDecoderRegistry, type DecoderRegistry } from './decoders/registry';
export { parseGoDuration } from './config/go-duration';
export { compileGoRegexp, type GoRegexp } from './decoders/go-regexp';

export { ConfigCollector, DEFAULT_LABEL_CACHE_SIZE, type CollectorOptions, type CollectResult } from './collector/config-collector';

export { parseLabelValues, renderLabelPairs } from './exposition/escape';
export { formatGoFloat } from './exposition/go-float';
export { negotiateFormat, negotiateScrapeFormat, type NegotiatedFormat, type NegotiatedProtobuf } from './exposition/negotiate';
export { protobufChunks, type HistogramEncoding } from './exposition/protobuf-format';
export { expositionChunks, formatOpenMetrics, formatText, type ChunkOptions, type ExpositionFormat } from './exposition/text-format';
export { ChunkPool, expositionPool } from './exposition/chunk-pool';
// The addon's writer for runs of integer-valued lines, a type shared with it through map-types.
export type { IntegerLineWriter } from '@ebpf-exporter/map-types';
export { decodeRecord, type DecodedRecord } from './collector/key-decoder';
export { threadSlicer } from './time-slice';
export { labelArenaOf, labelTextAt } from './label-arena';
