// The two SEC() forms the exporter's configs use that libbpf does not know:
//   perf_event/type=<n>,config=<n>,frequency=<n>  one perf event per online CPU, the program attached to each
//   xdp/<ifname>                                   XDP on the interface of that name
#pragma once

#include <bpf/libbpf.h>

#include <string>
#include <vector>

#include "bpf_error.h"

namespace bpf_native {

// Registers both handlers with libbpf; must run before any object is opened. Returns 0 or a negative errno.
int RegisterSectionHandlers();

bool IsPerfEventSection(const char* section);

// libbpf's attach callback can hand back one link only, so per-CPU perf events are attached here instead.
// On failure nothing stays attached and `failure` says which key or CPU went wrong.
bool AttachPerfEventOnEveryCpu(const struct bpf_program* prog, std::vector<struct bpf_link*>* links, Failure* failure);

}  // namespace bpf_native
