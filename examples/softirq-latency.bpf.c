// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

// 2^21 µs is about 2 s.
#define MAX_LATENCY_SLOT 21

struct softirq_latency_key_t {
    u32 vec;
    u32 bucket;
};

// A softirq is raised and serviced on the same CPU, so per-CPU timestamps need no locking and cannot
// be mixed up between CPUs.
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, NR_SOFTIRQS);
    __type(key, u32);
    __type(value, u64);
} raised_at SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, NR_SOFTIRQS);
    __type(key, u32);
    __type(value, u64);
} entered_at SEC(".maps");

// Per-CPU counters without a `cpu` label: the exporter sums the CPUs.
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, NR_SOFTIRQS);
    __type(key, u32);
    __type(value, u64);
} softirq_raised_total SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, NR_SOFTIRQS);
    __type(key, u32);
    __type(value, u64);
} softirq_serviced_total SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, NR_SOFTIRQS *(MAX_LATENCY_SLOT + 2));
    __type(key, struct softirq_latency_key_t);
    __type(value, u64);
} softirq_entry_latency_seconds SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, NR_SOFTIRQS *(MAX_LATENCY_SLOT + 2));
    __type(key, struct softirq_latency_key_t);
    __type(value, u64);
} softirq_service_latency_seconds SEC(".maps");

// Only the first raise counts: a softirq raised again before it ran waits since the first one.
SEC("tp_btf/softirq_raise")
int BPF_PROG(softirq_raise, unsigned int vec_nr)
{
    u32 vec = vec_nr;
    u64 *ts = bpf_map_lookup_elem(&raised_at, &vec);

    increment_map_nosync(&softirq_raised_total, &vec, 1);
    if (ts && *ts == 0)
        *ts = bpf_ktime_get_ns();
    return 0;
}

SEC("tp_btf/softirq_entry")
int BPF_PROG(softirq_entry, unsigned int vec_nr)
{
    struct softirq_latency_key_t key = {};
    u32 vec = vec_nr;
    u64 now = bpf_ktime_get_ns();
    u64 *raised = bpf_map_lookup_elem(&raised_at, &vec);
    u64 *entered = bpf_map_lookup_elem(&entered_at, &vec);

    if (entered)
        *entered = now;
    // Softirqs raised from hard IRQs before the tracer attached, or by paths that skip the raise
    // tracepoint, have no start time: they are left out rather than guessed.
    if (!raised || *raised == 0)
        return 0;
    key.vec = vec;
    increment_exp2_histogram(&softirq_entry_latency_seconds, key, (now - *raised) / 1000, MAX_LATENCY_SLOT);
    *raised = 0;
    return 0;
}

SEC("tp_btf/softirq_exit")
int BPF_PROG(softirq_exit, unsigned int vec_nr)
{
    struct softirq_latency_key_t key = {};
    u32 vec = vec_nr;
    u64 *entered = bpf_map_lookup_elem(&entered_at, &vec);

    increment_map_nosync(&softirq_serviced_total, &vec, 1);
    if (!entered || *entered == 0)
        return 0;
    key.vec = vec;
    increment_exp2_histogram(&softirq_service_latency_seconds, key, (bpf_ktime_get_ns() - *entered) / 1000,
                             MAX_LATENCY_SLOT);
    *entered = 0;
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
