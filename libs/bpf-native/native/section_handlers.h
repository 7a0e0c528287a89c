// The two SEC() forms the exporter's configs use that libbpf does not know:
//   perf_event/type=<n>,config=<n>,frequency=<n>  one perf event per online CPU, the program attached to each
//   xdp/<ifname>                                   XDP on the interface of that name
//   uprobe//proc/self/exe:post_attach_mark         upstream's hook for "everything is attached": in Node,
//                                                  /proc/self/exe is node itself, so the uprobe goes on
//                                                  post_attach_mark in this addon, for this process
#pragma once

#include <bpf/libbpf.h>

#include <string>
#include <vector>

#include "bpf_error.h"

namespace bpf_native {

extern "C" void post_attach_mark(void);

// Registers the handlers with libbpf; must run before any object is opened. Returns 0 or a negative errno.
int RegisterSectionHandlers();

bool IsPerfEventSection(const char* section);

// libbpf's attach callback can hand back one link only, so per-CPU perf events are attached here instead.
// On failure nothing stays attached and `failure` says which key or CPU went wrong.
bool AttachPerfEventOnEveryCpu(const struct bpf_program* prog, std::vector<struct bpf_link*>* links, Failure* failure);

}  // namespace bpf_native
