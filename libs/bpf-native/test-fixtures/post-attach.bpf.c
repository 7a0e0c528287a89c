// SPDX-License-Identifier: GPL-2.0
// Counts calls of the addon's post_attach_mark by the test process, hooked two ways: upstream's
// /proc/self/exe form, and the addon's own path (ADDON_PATH, passed by the test setup).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u64 target_tgid = 0;

enum mark_slot {
    MARK_BY_SELF_EXE = 0,
    MARK_BY_ADDON_PATH = 1,
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32); // enum mark_slot
    __type(value, __u64);
} marks SEC(".maps");

static int count_mark(__u32 slot)
{
    if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
        return 0;
    __u64 *count = bpf_map_lookup_elem(&marks, &slot);
    if (count)
        __sync_fetch_and_add(count, 1);
    return 0;
}

SEC("uprobe//proc/self/exe:post_attach_mark")
int on_mark_by_self_exe(void *ctx)
{
    return count_mark(MARK_BY_SELF_EXE);
}

SEC("uprobe/" ADDON_PATH ":post_attach_mark")
int on_mark_by_addon_path(void *ctx)
{
    return count_mark(MARK_BY_ADDON_PATH);
}

char LICENSE[] SEC("license") = "GPL";
