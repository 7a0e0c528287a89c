// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

// OOM kills are rare events: each one is sent to user space through a perf buffer, where the exporter
// counts it (`perf_event_array: true`), instead of keeping a map of counters in the kernel.
struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __uint(key_size, sizeof(u32));
    __uint(value_size, sizeof(u32));
} oom_kills_total SEC(".maps");

// The victim's cgroup, not the current task's: the OOM killer often runs in whoever allocated last.
SEC("kprobe/oom_kill_process")
int BPF_KPROBE(oom_kill_process, struct oom_control *oc)
{
    u64 cgroup_id = BPF_CORE_READ(oc, chosen, cgroups, dfl_cgrp, kn, id);

    bpf_perf_event_output(ctx, &oom_kills_total, BPF_F_CURRENT_CPU, &cgroup_id, sizeof(cgroup_id));
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
