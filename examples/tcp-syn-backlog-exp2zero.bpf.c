// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

// exp2zero: an empty queue (the common case) gets its own bucket; then 1, 2, 3..4, 5..8, ... 65536.
#define MAX_BUCKET 17

struct backlog_key_t {
    u64 bucket;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, MAX_BUCKET + 2);
    __type(key, struct backlog_key_t);
    __type(value, u64);
} tcp_syn_backlog SEC(".maps");

// How full the accept queue of a listening socket is each time a handshake completes: a queue that
// reaches sk_max_ack_backlog drops new connections.
static __always_inline int record_backlog(struct sock *sk)
{
    struct backlog_key_t key = {};
    u64 backlog = BPF_CORE_READ(sk, sk_ack_backlog);

    increment_exp2zero_histogram(&tcp_syn_backlog, key, backlog, MAX_BUCKET);
    return 0;
}

SEC("kprobe/tcp_v4_syn_recv_sock")
int BPF_KPROBE(tcp_v4_syn_recv_sock, struct sock *sk)
{
    return record_backlog(sk);
}

SEC("kprobe/tcp_v6_syn_recv_sock")
int BPF_KPROBE(tcp_v6_syn_recv_sock, struct sock *sk)
{
    return record_backlog(sk);
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
