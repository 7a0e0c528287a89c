// SPDX-License-Identifier: GPL-2.0
// The exporter's own SEC() forms: a software perf event on every CPU and XDP on the test's veth interface
// (not lo: the exporter's xdp example may hold lo's XDP slot while tests run side by side).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

enum hit_slot {
    HIT_PERF_EVENT = 0,
    HIT_XDP = 1,
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32); // enum hit_slot
    __type(value, __u64);
} hits SEC(".maps");

static void count_hit(__u32 slot)
{
    __u64 *value = bpf_map_lookup_elem(&hits, &slot);
    if (value)
        __sync_fetch_and_add(value, 1);
}

// PERF_TYPE_SOFTWARE (1), PERF_COUNT_SW_CPU_CLOCK (0), sampled 1000 times a second.
SEC("perf_event/type=1,config=0,frequency=1000")
int on_cpu_clock(void *ctx)
{
    count_hit(HIT_PERF_EVENT);
    return 0;
}

SEC("xdp/bpfnative-rx")
int on_test_veth(struct xdp_md *ctx)
{
    count_hit(HIT_XDP);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
