// Everything about one map that a read needs, copied on the JS thread so workers never touch libbpf objects.
#pragma once

#include <bpf/libbpf.h>
#include <napi.h>

#include <string>

namespace bpf_native {

struct MapLayout {
  std::string name;
  std::string type;
  enum bpf_map_type map_type;
  unsigned key_size;
  unsigned value_size;
  unsigned max_entries;
  // Possible CPUs for per-CPU maps, else 1.
  unsigned values_per_key;
  // The kernel rounds each per-CPU value slot up to 8 bytes.
  unsigned value_stride;

  size_t value_bytes() const { return static_cast<size_t>(values_per_key) * value_stride; }
};

MapLayout DescribeMap(const struct bpf_map* map);

// The MapInfo shape of the TypeScript API.
Napi::Object MapInfoToJs(Napi::Env env, const MapLayout& layout);

}  // namespace bpf_native
