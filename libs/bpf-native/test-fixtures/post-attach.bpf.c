// SPDX-License-Identifier: GPL-2.0
// Counts calls of the addon's post_attach_mark by the test process. ADDON_PATH is passed by the test setup.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u64 target_tgid = 0;

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} marks SEC(".maps");

SEC("uprobe/" ADDON_PATH ":post_attach_mark")
int on_post_attach_mark(void *ctx)
{
    if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
        return 0;
    __u32 zero = 0;
    __u64 *count = bpf_map_lookup_elem(&marks, &zero);
    if (count)
        __sync_fetch_and_add(count, 1);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
