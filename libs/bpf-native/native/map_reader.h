// Reads a whole map off the JS thread: bpf_map_lookup_batch, or get_next_key + lookup where the kernel or the
// map type refuses batches.
#pragma once

#include <napi.h>

#include "bpf_error.h"
#include "map_layout.h"

namespace bpf_native {

enum class ReadMethod { kAuto, kIterate };

struct ReadRequest {
  ReadMethod method = ReadMethod::kAuto;
  // Entries asked for per bpf_map_lookup_batch call; 0 = as many as the buffer holds.
  uint32_t batch_size = 0;
  // Most entries read; 0 = the whole map. A read that stops here says so (`truncated`).
  uint32_t max_entries = 0;
};

// Resolves with a MapDump plus `method`. Takes ownership of `fd` (a dup, so a concurrent close() of the
// object cannot pull the map out from under the worker).
Napi::Promise ReadMapAsync(Napi::Env env, int fd, const MapLayout& layout, ErrorSubject subject, ReadRequest request);

}  // namespace bpf_native
