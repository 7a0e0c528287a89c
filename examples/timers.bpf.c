// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

// Key: the timer callback's address, decoded to a symbol name by the `ksym` decoder.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, u64);
    __type(value, u64);
} timer_starts_total SEC(".maps");

// Only the first argument is read: timer_start has (timer, expires, flags) on 6.1 and
// (timer, bucket_expiry) on 6.18, and BTF-typed tracepoints tolerate reading fewer arguments.
SEC("tp_btf/timer_start")
int BPF_PROG(timer_start, struct timer_list *timer)
{
    u64 function = (u64)timer->function;

    increment_map(&timer_starts_total, &function, 1);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
