// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

#define TASK_COMM_LEN 16

// One span per process, from exec (or fork) to exit. A process that exec'd without a traced parent starts
// a new trace; its forks become child spans in the same trace, so `sh -c 'a; b'` is one trace with a span
// for the shell and one for each command.
// The field order is the config's label order; the exporter turns the special label names into the span's
// ids and times and every other label into a span attribute.
struct process_span {
    u8 trace_id[16];
    u64 parent_span_id; // 0: a root span
    u64 span_id;
    u64 span_monotonic_timestamp_ns; // bpf_ktime_get_ns(), CLOCK_MONOTONIC
    u64 span_duration_ns;
    u32 pid;
    u32 ppid;
    char span_name[TASK_COMM_LEN]; // the command at exit, i.e. after any exec
};

// Processes being traced, by tgid, until they exit. Bounded: a process that does not fit is not traced.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 10240);
    __type(key, u32);
    __type(value, struct process_span);
} traced_processes SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 256 * 1024);
} exec_spans SEC(".maps");

// The ring buffer only says that a record did not fit to the program that tried, so the outcome of every
// submission is counted here: 0 submitted, 1 dropped because the ring buffer was full.
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, u32);
    __type(value, u64);
} exec_trace_spans_total SEC(".maps");

static __always_inline u64 random_u64(void)
{
    return ((u64)bpf_get_prandom_u32() << 32) | bpf_get_prandom_u32();
}

static __always_inline void start_span(u32 tgid, struct task_struct *task, const struct process_span *parent)
{
    struct process_span span = {};
    u64 *trace_id = (u64 *)span.trace_id;

    if (parent) {
        __builtin_memcpy(span.trace_id, parent->trace_id, sizeof(span.trace_id));
        span.parent_span_id = parent->span_id;
    } else {
        trace_id[0] = random_u64();
        trace_id[1] = random_u64();
    }
    span.span_id = random_u64();
    span.span_monotonic_timestamp_ns = bpf_ktime_get_ns();
    span.pid = tgid;
    span.ppid = task->real_parent->tgid;
    bpf_map_update_elem(&traced_processes, &tgid, &span, BPF_ANY);
}

// A new process (not a thread) forked by a traced one: a child span of its parent's.
SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_process_fork, struct task_struct *parent, struct task_struct *child)
{
    u32 parent_tgid = parent->tgid, child_tgid = child->tgid;
    struct process_span *parent_span;

    if (child->pid != child_tgid)
        return 0;
    parent_span = bpf_map_lookup_elem(&traced_processes, &parent_tgid);
    if (parent_span)
        start_span(child_tgid, child, parent_span);
    return 0;
}

// An exec outside any traced process tree starts a new trace.
SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_process_exec, struct task_struct *task, pid_t old_pid, struct linux_binprm *bprm)
{
    u32 tgid = task->tgid;

    if (!bpf_map_lookup_elem(&traced_processes, &tgid))
        start_span(tgid, task, NULL);
    return 0;
}

// The process is gone when its leader thread exits: the span ends and goes to user space.
SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit, struct task_struct *task)
{
    u32 tgid = task->tgid, outcome;
    struct process_span *span;

    if (task->pid != tgid)
        return 0;
    span = bpf_map_lookup_elem(&traced_processes, &tgid);
    if (!span)
        return 0;
    span->span_duration_ns = bpf_ktime_get_ns() - span->span_monotonic_timestamp_ns;
    bpf_probe_read_kernel_str(span->span_name, sizeof(span->span_name), task->comm);
    outcome = bpf_ringbuf_output(&exec_spans, span, sizeof(*span), 0) == 0 ? 0 : 1;
    increment_map(&exec_trace_spans_total, &outcome, 1);
    bpf_map_delete_elem(&traced_processes, &tgid);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
