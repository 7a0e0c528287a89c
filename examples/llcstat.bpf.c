// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

// One slot whose per-CPU values become the `cpu` label: the exporter ignores the all-zero array index
// when `cpu` is the only label.
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, u64);
} llc_references_total SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, u64);
} llc_misses_total SEC(".maps");

// Sampled hardware counters: each sample stands for sample_period events since the previous one, so
// adding the period gives an estimate of the total. The exporter opens these on every online CPU
// (type 0 = PERF_TYPE_HARDWARE, config 2/3 = cache references/misses, 99 samples a second).
SEC("perf_event/type=0,config=2,frequency=99")
int on_cache_reference(struct bpf_perf_event_data *ctx)
{
    u32 zero = 0;

    increment_map_nosync(&llc_references_total, &zero, ctx->sample_period);
    return 0;
}

SEC("perf_event/type=0,config=3,frequency=99")
int on_cache_miss(struct bpf_perf_event_data *ctx)
{
    u32 zero = 0;

    increment_map_nosync(&llc_misses_total, &zero, ctx->sample_period);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
