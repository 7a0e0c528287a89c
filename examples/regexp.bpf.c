// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "maps.bpf.h"

// Counts program executions by command name. The kernel side keeps every name; the `regexp` decoder in
// the YAML drops the ones nobody asked for at scrape time, which is cheaper than filtering strings here.
struct comm_key_t {
    char comm[TASK_COMM_LEN];
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, struct comm_key_t);
    __type(value, u64);
} exec_events_total SEC(".maps");

// A classic (perf) tracepoint: the context is the tracepoint's raw record. Only the pid is in it, so the
// new command name comes from the current task, which has already switched to the new program.
SEC("tracepoint/sched/sched_process_exec")
int sched_process_exec(struct trace_event_raw_sched_process_exec *ctx)
{
    struct comm_key_t key = {};

    bpf_get_current_comm(key.comm, sizeof(key.comm));
    increment_map(&exec_events_total, &key, 1);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
