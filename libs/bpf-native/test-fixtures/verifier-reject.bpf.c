// SPDX-License-Identifier: GPL-2.0
// Dereferences a hash lookup without a NULL check: compiles, but the verifier must refuse it. (A hash, not
// an array: recent verifiers know a constant in-range array lookup cannot fail.)
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} values SEC(".maps");

SEC("tp_btf/sys_enter")
int unchecked_lookup(__u64 *ctx)
{
    __u32 zero = 0;
    __u64 *value = bpf_map_lookup_elem(&values, &zero);
    return *value;
}

char LICENSE[] SEC("license") = "GPL";
