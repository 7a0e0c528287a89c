// Drops Linux capabilities on every thread of the process (capset and prctl act on the calling thread only).
#pragma once

#include <napi.h>

namespace bpf_native {

// dropCapabilities(keep: bigint): keeps only the capabilities whose bits are set in `keep` in the effective,
// permitted and bounding sets, intersects the inheritable set with them and clears the ambient set, on every
// thread. Returns the number of threads changed.
Napi::Value DropCapabilities(const Napi::CallbackInfo& info);

}  // namespace bpf_native
