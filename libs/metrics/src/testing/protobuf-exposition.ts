// Reads the protobuf exposition back for tests, with protobufjs: a decoder written by others, so the
// encoder (exposition/protobuf-format.ts) is not checked against itself.
import protobuf from 'protobufjs';

// The messages of client_model's metrics.proto that the exposition uses.
const SCHEMA = `
syntax = "proto2";
package io.prometheus.client;
message LabelPair { optional string name = 1; optional string value = 2; }
message Gauge { optional double value = 1; }
message Counter { optional double value = 1; }
message Untyped { optional double value = 1; }
message Bucket { optional uint64 cumulative_count = 1; optional double upper_bound = 2; }
message BucketSpan { optional sint32 offset = 1; optional uint32 length = 2; }
message Histogram {
  optional uint64 sample_count = 1; optional double sample_sum = 2; repeated Bucket bucket = 3;
  optional sint32 schema = 5; optional double zero_threshold = 6; optional uint64 zero_count = 7;
  repeated BucketSpan positive_span = 12; repeated sint64 positive_delta = 13;
}
message Metric {
  repeated LabelPair label = 1; optional Gauge gauge = 2; optional Counter counter = 3;
  optional Untyped untyped = 5; optional Histogram histogram = 7;
}
message MetricFamily { optional string name = 1; optional string help = 2; optional int32 type = 3; repeated Metric metric = 4; }
`;
const MetricFamilyMessage = protobuf.parse(SCHEMA, { keepCase: true }).root.lookupType('io.prometheus.client.MetricFamily');

export function concatChunks(chunks: Iterable<Uint8Array>): Uint8Array {
  const parts = [...chunks];
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Every length-delimited MetricFamily of the stream, as plain objects (64-bit numbers as numbers). */
export function decodeMetricFamilies(bytes: Uint8Array): Record<string, unknown>[] {
  const reader = protobuf.Reader.create(bytes);
  const families: Record<string, unknown>[] = [];
  while (reader.pos < reader.len) {
    const message = MetricFamilyMessage.decodeDelimited(reader);
    families.push(MetricFamilyMessage.toObject(message, { longs: Number, defaults: false }));
  }
  return families;
}

