// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

// 2^26 µs is about 67 s.
#define MAX_LATENCY_SLOT 26

struct accept_latency_key_t {
    u32 port; // local (listening) port
    u32 bucket;
};

// When the kernel created each not-yet-accepted connection. LRU: connections that are never accepted
// (the listener closes first) would otherwise pile up in a plain hash.
struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, 10240);
    __type(key, struct sock *);
    __type(value, u64);
} created_at SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, (MAX_LATENCY_SLOT + 2) * 64);
    __type(key, struct accept_latency_key_t);
    __type(value, u64);
} accept_latency_seconds SEC(".maps");

// The child socket appears when the handshake completes and sits in the accept queue until the
// application calls accept(): that wait is what this measures.
SEC("kretprobe/tcp_v4_syn_recv_sock")
int BPF_KRETPROBE(tcp_v4_syn_recv_sock_ret, struct sock *child)
{
    u64 ts = bpf_ktime_get_ns();

    if (child)
        bpf_map_update_elem(&created_at, &child, &ts, BPF_ANY);
    return 0;
}

SEC("kretprobe/inet_csk_accept")
int BPF_KRETPROBE(inet_csk_accept_ret, struct sock *sk)
{
    struct accept_latency_key_t key = {};
    u64 *created;

    if (!sk)
        return 0;
    created = bpf_map_lookup_elem(&created_at, &sk);
    if (!created)
        return 0;
    key.port = BPF_CORE_READ(sk, __sk_common.skc_num);
    increment_exp2_histogram(&accept_latency_seconds, key, (bpf_ktime_get_ns() - *created) / 1000, MAX_LATENCY_SLOT);
    bpf_map_delete_elem(&created_at, &sk);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
