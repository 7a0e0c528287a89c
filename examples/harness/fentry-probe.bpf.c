// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

// Loaded (never attached) by harness/kernel-features.ts: whether the kernel accepts a BPF trampoline
// program decides if fentry/fexit examples can work here. vfs_read exists on every kernel.
SEC("fentry/vfs_read")
int BPF_PROG(fentry_probe)
{
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
