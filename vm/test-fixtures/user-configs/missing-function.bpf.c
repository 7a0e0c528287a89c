// SPDX-License-Identifier: MIT OR GPL-2.0-only
// A user's config whose object loads but cannot attach: its kprobe names a function no kernel has.
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, u32);
    __type(value, u64);
} missing_calls_total SEC(".maps");

// Never runs: attaching it is what fails. The map only gives the config its metric.
SEC("kprobe/vm_matrix_no_such_function")
int BPF_KPROBE(no_such_function)
{
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
