// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

// 2^26 µs is about 67 s.
#define MAX_LATENCY_SLOT 26

struct shrink_latency_key_t {
    u64 bucket;
};

// Entry time per thread: a thread is in at most one shrink_node() at a time.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 10240);
    __type(key, u64);
    __type(value, u64);
} start SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, MAX_LATENCY_SLOT + 2);
    __type(key, struct shrink_latency_key_t);
    __type(value, u64);
} shrink_node_latency_seconds SEC(".maps");

// shrink_node() is one pass of page reclaim over a NUMA node; long passes are what stalls allocating
// tasks under memory pressure (direct reclaim) or keeps kswapd busy. fentry/fexit rather than a
// kprobe pair: a BPF trampoline costs a fraction of a kprobe's int3 round trip.
SEC("fentry/shrink_node")
int BPF_PROG(shrink_node)
{
    u64 tid = bpf_get_current_pid_tgid();
    u64 ts = bpf_ktime_get_ns();

    bpf_map_update_elem(&start, &tid, &ts, BPF_ANY);
    return 0;
}

SEC("fexit/shrink_node")
int BPF_PROG(shrink_node_exit)
{
    struct shrink_latency_key_t key = {};
    u64 tid = bpf_get_current_pid_tgid();
    u64 *started = bpf_map_lookup_elem(&start, &tid);

    if (!started)
        return 0;
    increment_exp2_histogram(&shrink_node_latency_seconds, key, (bpf_ktime_get_ns() - *started) / 1000,
                             MAX_LATENCY_SLOT);
    bpf_map_delete_elem(&start, &tid);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
