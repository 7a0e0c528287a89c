// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

// Key: cgroup v2 id of the calling process.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, u64);
    __type(value, u64);
} libc_malloc_calls_total SEC(".maps");

// No pid in the section: libbpf resolves libc.so.6 from the library search path and the uprobe fires in
// every process mapping it. A uprobe costs about 1.7 µs per hit (a trap into the kernel), so this is
// for demonstration, not for always-on production use on a hot function.
SEC("uprobe/libc.so.6:malloc")
int BPF_UPROBE(do_count)
{
    u64 cgroup_id = bpf_get_current_cgroup_id();

    increment_map(&libc_malloc_calls_total, &cgroup_id, 1);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
