// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

// 2^26 µs is about 67 s: anything slower is clamped into the top bucket.
#define MAX_LATENCY_SLOT 26
// A macro in include/linux/sched.h, so not in BTF.
#define TASK_RUNNING 0

// Why a task became runnable: the reason label's static_map.
enum runq_reason {
    REASON_WAKEUP = 0,    // woken from sleep
    REASON_NEW = 1,       // a new task, just forked
    REASON_PREEMPTED = 2, // switched out while still runnable
};

struct runq_start_t {
    u64 ts;
    u64 reason;
};

struct runq_latency_key_t {
    u32 reason;
    u32 bucket;
};

// When each runnable task entered a run queue, by thread id.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 10240);
    __type(key, u32);
    __type(value, struct runq_start_t);
} enqueued_at SEC(".maps");

// A per-CPU histogram: the CPU that runs the task counts into its own slot (no atomics). The config's
// labels end with a `cpu` label after the bucket, so the exporter keeps one histogram per CPU (it
// appends the CPU index to each key): which CPU's run queue makes tasks wait.
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
    __uint(max_entries, 3 * (MAX_LATENCY_SLOT + 2));
    __type(key, struct runq_latency_key_t);
    __type(value, u64);
} run_queue_latency_seconds SEC(".maps");

static __always_inline void enqueue(struct task_struct *task, u64 reason)
{
    struct runq_start_t start = {.ts = bpf_ktime_get_ns(), .reason = reason};
    u32 pid = task->pid;

    // The idle task (pid 0) never waits in a run queue.
    if (pid)
        bpf_map_update_elem(&enqueued_at, &pid, &start, BPF_ANY);
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(sched_wakeup, struct task_struct *task)
{
    enqueue(task, REASON_WAKEUP);
    return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(sched_wakeup_new, struct task_struct *task)
{
    enqueue(task, REASON_NEW);
    return 0;
}

// prev_state is an argument since 5.18 (every supported kernel has it).
SEC("tp_btf/sched_switch")
int BPF_PROG(sched_switch, bool preempt, struct task_struct *prev, struct task_struct *next, unsigned int prev_state)
{
    struct runq_latency_key_t key = {};
    struct runq_start_t *start;
    u32 pid = next->pid;
    u64 delta_us;

    if (prev_state == TASK_RUNNING)
        enqueue(prev, REASON_PREEMPTED);

    // Tasks that became runnable before the program attached have no start time: left out.
    start = bpf_map_lookup_elem(&enqueued_at, &pid);
    if (!start)
        return 0;
    delta_us = (bpf_ktime_get_ns() - start->ts) / 1000;
    key.reason = start->reason;
    bpf_map_delete_elem(&enqueued_at, &pid);

    increment_exp2_histogram_nosync(&run_queue_latency_seconds, key, delta_us, MAX_LATENCY_SLOT);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
