// SPDX-License-Identifier: MIT OR GPL-2.0-only
// A user's config that every kernel of the matrix loads and attaches: counts timer starts (tp_btf).
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, u64);
} timer_starts_total SEC(".maps");

SEC("tp_btf/timer_start")
int BPF_PROG(timer_start)
{
    u32 zero = 0;
    u64 *count = bpf_map_lookup_elem(&timer_starts_total, &zero);

    if (count)
        __sync_fetch_and_add(count, 1);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
