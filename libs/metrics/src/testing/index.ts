// Test helpers shared with the exporter's tests: recorded map dumps standing in for kernel maps.
export { mapDumpFromRecording, recordMapDump, RecordedMapSource, type RecordedMap, type RecordedMaps } from './recorded-map-source';
export { readRecordedMapSource } from './read-fixture';
export { hostlessEnvironment } from './hostless-environment';
export { array, char, enumType, int, labelsConfigYaml, mapTypes, pointer, struct, type LabelRow } from './btf-types';
export { concatChunks, decodeMetricFamilies } from './protobuf-exposition';
