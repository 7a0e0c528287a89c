// Map key/value types from an object's BTF as plain JS objects (the BtfType shape of libs/map-types).
#pragma once

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <napi.h>

namespace bpf_native {

// The MapTypes shape: the map's sizes plus its key and value types where the object's BTF has them.
Napi::Object MapTypesToJs(Napi::Env env, const struct bpf_map* map, const struct btf* btf);

}  // namespace bpf_native
