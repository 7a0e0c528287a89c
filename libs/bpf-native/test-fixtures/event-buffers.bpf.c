// SPDX-License-Identifier: GPL-2.0
// Sends one record per kill() of the test process to a perf event array and to a ring buffer.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define SYS_KILL 62 // x86_64

const volatile __u64 target_tgid = 0;

struct record {
    __u64 syscall;
    __u64 sequence;
};

struct {
    __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
    __uint(key_size, sizeof(__u32));
    __uint(value_size, sizeof(__u32));
} perf_records SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 64 * 1024);
} ring_records SEC(".maps");

__u64 sequence = 0;

SEC("tp_btf/sys_enter")
int emit_records(__u64 *ctx)
{
    if ((bpf_get_current_pid_tgid() >> 32) != target_tgid || ctx[1] != SYS_KILL)
        return 0;
    struct record record = {.syscall = SYS_KILL, .sequence = __sync_fetch_and_add(&sequence, 1)};
    bpf_perf_event_output(ctx, &perf_records, BPF_F_CURRENT_CPU, &record, sizeof(record));
    bpf_ringbuf_output(&ring_records, &record, sizeof(record), 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
