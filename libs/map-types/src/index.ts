// Types shared by the native binding (which fills them) and libs/metrics (which reads them), so the binding
// needs no other library. Types only: it is resolved by the tsconfig.base.json path alone and every import of
// it is erased, hence no package.json or npm workspace entry.
export type { IntegerLineWriter } from './integer-line-writer';
export type { MapDump } from './map-dump';
export type { BtfEnumValue, BtfMember, BtfType, MapTypes } from './btf-type';
