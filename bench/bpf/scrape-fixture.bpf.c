// SPDX-License-Identifier: MIT OR GPL-2.0-only
// Maps only, filled from user space by the benchmark (bench/native/map-tool.c): the exporter loads this
// object like any config and scrapes it. No program runs, so the map contents stay exactly what the
// benchmark wrote and the scrape output is known in advance. Built once per counter size with
// -DCOUNTER_ENTRIES=N, because the cost of a batch read grows with max_entries, not with how full a map is.
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>

#ifndef COUNTER_ENTRIES
#error "build with -DCOUNTER_ENTRIES=<max entries of the counter map>"
#endif

// 100 label sets x 28 exp2 buckets (0..27) + the sum slot at bucket 28.
#define HISTOGRAM_LABEL_SETS 100
#define HISTOGRAM_SLOTS      29

// A 16-byte key and an 8-byte value, like a typical two-label key (see map-tool.c's struct key).
struct counter_key {
    u64 tenant;
    u64 object;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, COUNTER_ENTRIES);
    __type(key, struct counter_key);
    __type(value, u64);
} ops_total SEC(".maps");

struct histogram_key {
    u64 shard;
    u64 bucket;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, HISTOGRAM_LABEL_SETS *HISTOGRAM_SLOTS);
    __type(key, struct histogram_key);
    __type(value, u64);
} op_latency_seconds SEC(".maps");

char LICENSE[] SEC("license") = "Dual MIT/GPL";
