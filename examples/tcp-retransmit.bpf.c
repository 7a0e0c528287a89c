// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "maps.bpf.h"

#define AF_INET  2
#define AF_INET6 10

enum retransmit_type {
    RETRANSMIT = 0,  // a segment (or SYN) sent again after a timeout or loss detection
    TAIL_LOSS_PROBE, // a probe sent to detect a lost tail of a flight early
};

// Addresses stay in network byte order for `inet_ip`; the port is converted to host order for `uint`.
struct retransmit_v4_key_t {
    u8 local_ip[4];
    u8 peer_ip[4];
    u16 peer_port;
    u16 type;
};

struct retransmit_v6_key_t {
    u8 local_ip[16];
    u8 peer_ip[16];
    u16 peer_port;
    u16 type;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, struct retransmit_v4_key_t);
    __type(value, u64);
} tcp_retransmit_ipv4_packets_total SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, struct retransmit_v6_key_t);
    __type(value, u64);
} tcp_retransmit_ipv6_packets_total SEC(".maps");

static __always_inline int count_retransmit(struct sock *sk, u16 type)
{
    struct sock_common *common = &sk->__sk_common;
    u16 peer_port = bpf_ntohs(common->skc_dport);

    if (common->skc_family == AF_INET) {
        struct retransmit_v4_key_t key = {};
        __builtin_memcpy(key.local_ip, &common->skc_rcv_saddr, sizeof(key.local_ip));
        __builtin_memcpy(key.peer_ip, &common->skc_daddr, sizeof(key.peer_ip));
        key.peer_port = peer_port;
        key.type = type;
        increment_map(&tcp_retransmit_ipv4_packets_total, &key, 1);
    } else if (common->skc_family == AF_INET6) {
        struct retransmit_v6_key_t key = {};
        bpf_probe_read_kernel(key.local_ip, sizeof(key.local_ip), &common->skc_v6_rcv_saddr);
        bpf_probe_read_kernel(key.peer_ip, sizeof(key.peer_ip), &common->skc_v6_daddr);
        key.peer_port = peer_port;
        key.type = type;
        increment_map(&tcp_retransmit_ipv6_packets_total, &key, 1);
    }
    return 0;
}

SEC("fentry/tcp_retransmit_skb")
int BPF_PROG(tcp_retransmit_skb, struct sock *sk)
{
    return count_retransmit(sk, RETRANSMIT);
}

SEC("fentry/tcp_send_loss_probe")
int BPF_PROG(tcp_send_loss_probe, struct sock *sk)
{
    return count_retransmit(sk, TAIL_LOSS_PROBE);
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
