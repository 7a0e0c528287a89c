// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

// One slot per softirq vector (NR_SOFTIRQS is 10). A per-CPU array needs no atomics and lets the
// exporter add a `cpu` label from the per-CPU values.
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, NR_SOFTIRQS);
    __type(key, u32);
    __type(value, u64);
} softirqs_total SEC(".maps");

SEC("tp_btf/softirq_entry")
int BPF_PROG(softirq_entry, unsigned int vec_nr)
{
    u32 vec = vec_nr;

    increment_map_nosync(&softirqs_total, &vec, 1);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
