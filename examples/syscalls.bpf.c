// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

// Keys are the syscall number and the (positive) errno, 8 bytes each for the `uint` decoder.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, u64);
    __type(value, u64);
} syscalls_total SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, u64);
    __type(value, u64);
} syscall_errors_total SEC(".maps");

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
    u64 key = id;

    increment_map(&syscalls_total, &key, 1);
    return 0;
}

// Syscalls report failure as -errno; the kernel-internal restart codes (512..530) show up as
// `unknown:<n>` because userspace never sees them.
SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
    u64 key;

    if (ret >= 0 || ret < -4095)
        return 0;
    key = -ret;
    increment_map(&syscall_errors_total, &key, 1);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
