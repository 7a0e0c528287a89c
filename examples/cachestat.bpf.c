// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

// Page cache activity from tracepoints only (no fentry), so it runs where function tracing is off.
enum page_cache_op {
    OP_ADD = 0,    // a page entered the cache: a miss being filled
    OP_DELETE = 1, // a page left the cache: eviction or truncation
    OP_DIRTY = 2,  // a cached page was written to
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 3);
    __type(key, u32);
    __type(value, u64);
} page_cache_ops_total SEC(".maps");

static __always_inline int count_op(u32 op)
{
    increment_map_nosync(&page_cache_ops_total, &op, 1);
    return 0;
}

SEC("tp_btf/mm_filemap_add_to_page_cache")
int BPF_PROG(add_to_page_cache)
{
    return count_op(OP_ADD);
}

SEC("tp_btf/mm_filemap_delete_from_page_cache")
int BPF_PROG(delete_from_page_cache)
{
    return count_op(OP_DELETE);
}

SEC("tp_btf/writeback_dirty_folio")
int BPF_PROG(writeback_dirty_folio)
{
    return count_op(OP_DIRTY);
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
