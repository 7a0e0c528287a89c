// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

// 20 frames are enough to reach the syscall entry from the page cache; unused frames stay zero, which
// is where the `kstack` decoder stops.
#define MAX_STACK_DEPTH 20

struct stack_key_t {
    u64 frames[MAX_STACK_DEPTH];
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, struct stack_key_t);
    __type(value, u64);
} page_cache_additions_total SEC(".maps");

// Which kernel code paths bring pages into the page cache (reads, writes, readahead, faults).
SEC("tp_btf/mm_filemap_add_to_page_cache")
int BPF_PROG(add_to_page_cache)
{
    struct stack_key_t key = {};

    if (bpf_get_stack(ctx, key.frames, sizeof(key.frames), 0) < 0)
        return 0;
    increment_map(&page_cache_additions_total, &key, 1);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
