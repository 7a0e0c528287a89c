// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "maps.bpf.h"

// Filled in by the exporter from /proc/kallsyms before load (`kaddrs` in the YAML). bpf_jit_current is
// a static variable, so it is only listed there on kernels with CONFIG_KALLSYMS_ALL.
const volatile u64 kaddr_bpf_jit_current = 0;

// A single slot read with the all-zero key: the exporter emits it without labels. It is really a gauge
// (pages come and go); counters and histograms are the only kinds the config format has.
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, u64);
} bpf_jit_pages_currently_allocated SEC(".maps");

// Copied once a second from a software clock event on each CPU, so the value is at most a second
// old without hooking the JIT's allocation functions.
SEC("perf_event/type=1,config=0,frequency=1")
int refresh_jit_pages(struct bpf_perf_event_data *ctx)
{
    u32 zero = 0;
    u64 *pages = bpf_map_lookup_elem(&bpf_jit_pages_currently_allocated, &zero);
    long current = 0;

    if (!pages || !kaddr_bpf_jit_current)
        return 0;
    bpf_probe_read_kernel(&current, sizeof(current), (void *)kaddr_bpf_jit_current);
    *pages = current;
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
