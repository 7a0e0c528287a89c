#include "map_layout.h"

namespace bpf_native {

namespace {
bool IsPerCpu(enum bpf_map_type type) {
  return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
         type == BPF_MAP_TYPE_LRU_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}
}  // namespace

MapLayout DescribeMap(const struct bpf_map* map) {
  MapLayout layout;
  layout.name = bpf_map__name(map);
  layout.map_type = bpf_map__type(map);
  const char* type = libbpf_bpf_map_type_str(layout.map_type);
  layout.type = type != nullptr ? type : "unknown";
  layout.key_size = bpf_map__key_size(map);
  layout.value_size = bpf_map__value_size(map);
  layout.max_entries = bpf_map__max_entries(map);
  bool per_cpu = IsPerCpu(layout.map_type);
  int cpus = per_cpu ? libbpf_num_possible_cpus() : 1;
  layout.values_per_key = cpus > 0 ? static_cast<unsigned>(cpus) : 1;
  layout.value_stride = per_cpu ? (layout.value_size + 7) / 8 * 8 : layout.value_size;
  return layout;
}

Napi::Object MapInfoToJs(Napi::Env env, const MapLayout& layout) {
  Napi::Object info = Napi::Object::New(env);
  info.Set("name", layout.name);
  info.Set("type", layout.type);
  info.Set("keySize", layout.key_size);
  info.Set("valueSize", layout.value_size);
  info.Set("maxEntries", layout.max_entries);
  info.Set("valuesPerKey", layout.values_per_key);
  info.Set("valueStride", layout.value_stride);
  return info;
}

}  // namespace bpf_native
