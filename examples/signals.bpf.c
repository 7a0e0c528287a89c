// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

// Every generated signal is sent to user space through a perf buffer, where the exporter counts it
// (`perf_event_array: true`) and resets the counts every `flush_interval`: no kernel map fills up with
// signal numbers nobody will ever look at again.
struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __uint(key_size, sizeof(u32));
    __uint(value_size, sizeof(u32));
} signals_generated_total SEC(".maps");

// One record per signal; its layout is the config's labels, in order.
struct signal_event {
    u32 signal;
    // enum trace_signal_result: delivered, ignored, already pending, ...
    u32 result;
};

// Fires for every signal sent (kill, tgkill, the kernel's own SIGCHLD/SIGPIPE/...), including the ones the
// target ignores or already has pending, so N kills always make N events.
SEC("tp_btf/signal_generate")
int BPF_PROG(signal_generate, int sig, struct kernel_siginfo *info, struct task_struct *task, int group, int result)
{
    struct signal_event event = {.signal = sig, .result = result};

    bpf_perf_event_output(ctx, &signals_generated_total, BPF_F_CURRENT_CPU, &event, sizeof(event));
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
