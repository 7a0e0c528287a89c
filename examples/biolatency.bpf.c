// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

// 2^27 µs is about 134 s: anything slower is clamped into the top bucket.
#define MAX_LATENCY_SLOT 27
// The operation lives in the low bits of cmd_flags (include/linux/blk_types.h); a macro, so not in BTF.
#define REQ_OP_MASK ((1 << 8) - 1)

struct disk_latency_key_t {
    u32 dev;    // majorminor decoder: userspace (glibc) dev_t encoding
    u32 op;     // REQ_OP_*
    u64 bucket; // log2 of the latency in µs; the last field, as the exporter expects
};

// When each in-flight request entered the queue, keyed by the request pointer.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 10240);
    __type(key, struct request *);
    __type(value, u64);
} start SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, (MAX_LATENCY_SLOT + 2) * 64);
    __type(key, struct disk_latency_key_t);
    __type(value, u64);
} bio_latency_seconds SEC(".maps");

// BPF_NOEXIST: a request passing through the scheduler is seen at insert and again at issue; the
// latency counts from the first of the two. Requests that bypass the scheduler are only seen at issue.
static __always_inline int trace_rq_start(struct request *rq)
{
    u64 ts = bpf_ktime_get_ns();

    bpf_map_update_elem(&start, &rq, &ts, BPF_NOEXIST);
    return 0;
}

// glibc's makedev(): the encoding /proc/partitions lookups in the `majorminor` decoder expect.
static __always_inline u32 encode_dev(u32 major, u32 minor)
{
    return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xffU) << 12);
}

SEC("tp_btf/block_rq_insert")
int BPF_PROG(block_rq_insert, struct request *rq)
{
    return trace_rq_start(rq);
}

SEC("tp_btf/block_rq_issue")
int BPF_PROG(block_rq_issue, struct request *rq)
{
    return trace_rq_start(rq);
}

SEC("tp_btf/block_rq_complete")
int BPF_PROG(block_rq_complete, struct request *rq)
{
    struct disk_latency_key_t key = {};
    struct gendisk *disk;
    u64 *started, delta_us;

    started = bpf_map_lookup_elem(&start, &rq);
    if (!started)
        return 0;
    delta_us = (bpf_ktime_get_ns() - *started) / 1000;
    bpf_map_delete_elem(&start, &rq);

    // Probe reads (BPF_CORE_READ), not direct loads: 6.1 and 6.12's verifiers reject walking
    // rq->q->disk from this tracepoint's arguments ("R1 invalid mem access 'scalar'"), 6.18's accepts it.
    disk = BPF_CORE_READ(rq, q, disk);
    if (disk)
        key.dev = encode_dev(BPF_CORE_READ(disk, major), BPF_CORE_READ(disk, first_minor));
    key.op = BPF_CORE_READ(rq, cmd_flags) & REQ_OP_MASK;

    increment_exp2_histogram(&bio_latency_seconds, key, delta_us, MAX_LATENCY_SLOT);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
