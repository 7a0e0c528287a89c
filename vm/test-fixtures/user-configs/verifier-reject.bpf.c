// SPDX-License-Identifier: MIT OR GPL-2.0-only
// A user's config that every verifier refuses: the map value is used without the NULL check.
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64);
    __type(key, u64);
    __type(value, u64);
} unchecked_total SEC(".maps");

SEC("raw_tp/sched_switch")
int sched_switch(void *ctx)
{
    u64 pid_tgid = bpf_get_current_pid_tgid();
    u64 *count = bpf_map_lookup_elem(&unchecked_total, &pid_tgid);

    *count += 1; // the bug: a lookup may return NULL
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
