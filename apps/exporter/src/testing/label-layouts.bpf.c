// SPDX-License-Identifier: MIT OR GPL-2.0-only
// Key structs for the label layout tests (label-layouts.spec.ts): one map per layout a config can get wrong.
// Built for x86 and for arm64 (against each one's vmlinux.h); only opened, never loaded.
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>

#define KEYED_MAP(name, key_type)                                                                                      \
    struct {                                                                                                           \
        __uint(type, BPF_MAP_TYPE_HASH);                                                                               \
        __uint(max_entries, 16);                                                                                       \
        __type(key, key_type);                                                                                         \
        __type(value, u64);                                                                                            \
    } name SEC(".maps")

// A u8 then a u64: 7 bytes of hole the YAML has to skip with padding.
struct hole_key {
    u8 op;
    u64 ts;
};
KEYED_MAP(hole_total, struct hole_key);

struct pair_key {
    u32 pid;
    u32 tid;
};
KEYED_MAP(pair_total, struct pair_key);

struct short_key {
    u16 a;
    u16 b;
};
KEYED_MAP(short_total, struct short_key);

// Padding the C code spells out: labels skip it like a hole.
struct padded_key {
    u8 proto;
    u8 pad[3];
    u32 reason;
};
KEYED_MAP(padded_total, struct padded_key);

// A u32 after a u64: 4 bytes of tail padding.
struct tail_key {
    u64 cgroup;
    u32 cpu_id;
};
KEYED_MAP(tail_total, struct tail_key);

struct typed_key {
    char comm[16];
    u8 addr[16];
    void *function;
    u32 count;
};
KEYED_MAP(typed_total, struct typed_key);

struct bucket_key {
    u32 op;
    u32 bucket;
    u32 extra;
};
KEYED_MAP(bucket_seconds, struct bucket_key);

struct bits_key {
    u32 low : 4;
    u32 high : 28;
    u32 c;
};
KEYED_MAP(bits_total, struct bits_key);

struct flow_key {
    struct in6_addr saddr;
    u16 port;
    u8 proto;
};
KEYED_MAP(flow_total, struct flow_key);

// Packed: no holes at all, whatever the members' alignment.
struct packed_key {
    u8 op;
    u64 ts;
} __attribute__((packed));
KEYED_MAP(packed_total, struct packed_key);

// Declared with sizes only: no BTF for the key.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __uint(key_size, 4);
    __uint(value_size, 8);
} sized_total SEC(".maps");

SEC("tp_btf/sched_switch")
int touch_maps(void *ctx)
{
    struct hole_key key = {};
    bpf_map_lookup_elem(&hole_total, &key);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
