// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

// 2^27 µs is about 134 s.
#define MAX_LATENCY_SLOT 27

enum fs_op {
    EXT4_OP_READ = 0,
    EXT4_OP_WRITE = 1,
    EXT4_OP_OPEN = 2,
    EXT4_OP_FSYNC = 3,
};

struct fs_latency_key_t {
    u32 op;
    u32 bucket;
};

// Entry time per thread and operation: a write with O_SYNC calls ext4_sync_file from inside
// ext4_file_write_iter, so one slot per thread would lose the outer call.
struct call_key_t {
    u32 tid;
    u32 op;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 10240);
    __type(key, struct call_key_t);
    __type(value, u64);
} start SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4 * (MAX_LATENCY_SLOT + 2));
    __type(key, struct fs_latency_key_t);
    __type(value, u64);
} ext4_latency_seconds SEC(".maps");

static __always_inline int trace_entry(u32 op)
{
    struct call_key_t call = {.tid = (u32)bpf_get_current_pid_tgid(), .op = op};
    u64 ts = bpf_ktime_get_ns();

    bpf_map_update_elem(&start, &call, &ts, BPF_ANY);
    return 0;
}

static __always_inline int trace_return(u32 op)
{
    struct fs_latency_key_t key = {};
    struct call_key_t call = {.tid = (u32)bpf_get_current_pid_tgid(), .op = op};
    u64 *started = bpf_map_lookup_elem(&start, &call);

    if (!started)
        return 0;
    key.op = op;
    increment_exp2_histogram(&ext4_latency_seconds, key, (bpf_ktime_get_ns() - *started) / 1000, MAX_LATENCY_SLOT);
    bpf_map_delete_elem(&start, &call);
    return 0;
}

// fentry/fexit go through a BPF trampoline, several times cheaper than a kprobe/kretprobe pair.
SEC("fentry/ext4_file_read_iter")
int BPF_PROG(ext4_file_read_iter)
{
    return trace_entry(EXT4_OP_READ);
}

SEC("fexit/ext4_file_read_iter")
int BPF_PROG(ext4_file_read_iter_exit)
{
    return trace_return(EXT4_OP_READ);
}

SEC("fentry/ext4_file_write_iter")
int BPF_PROG(ext4_file_write_iter)
{
    return trace_entry(EXT4_OP_WRITE);
}

SEC("fexit/ext4_file_write_iter")
int BPF_PROG(ext4_file_write_iter_exit)
{
    return trace_return(EXT4_OP_WRITE);
}

SEC("fentry/ext4_file_open")
int BPF_PROG(ext4_file_open)
{
    return trace_entry(EXT4_OP_OPEN);
}

SEC("fexit/ext4_file_open")
int BPF_PROG(ext4_file_open_exit)
{
    return trace_return(EXT4_OP_OPEN);
}

SEC("fentry/ext4_sync_file")
int BPF_PROG(ext4_sync_file)
{
    return trace_entry(EXT4_OP_FSYNC);
}

SEC("fexit/ext4_sync_file")
int BPF_PROG(ext4_sync_file_exit)
{
    return trace_return(EXT4_OP_FSYNC);
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
