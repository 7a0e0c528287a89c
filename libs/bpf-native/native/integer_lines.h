// Exposition lines of counter columns whose values are small integers, written natively: the exporter's
// formatter (libs/metrics column-chunks.ts) hands its chunk here and writes other lines itself.
#pragma once

#include <napi.h>

namespace bpf_native {

// writeIntegerLines(chunk, size, labelled, bare, suffix, arenaBytes, starts, ends, values, cursor): see
// IntegerLineWriter in libs/map-types/src/integer-line-writer.ts for the contract.
Napi::Value WriteIntegerLines(const Napi::CallbackInfo& info);

}  // namespace bpf_native
