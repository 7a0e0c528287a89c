import { readFileSync } from 'node:fs';
import { RecordedMapSource, type RecordedMaps } from './recorded-map-source';

/** Loads a JSON fixture file of recorded maps (see RecordedMaps). Node only. */
export function readRecordedMapSource(path: string): RecordedMapSource {
  return new RecordedMapSource(JSON.parse(readFileSync(path, 'utf8')) as RecordedMaps);
}
