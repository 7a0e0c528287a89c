// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

// Key: the local (receiving) port in host byte order.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, u16);
    __type(value, u64);
} udp_fail_queue_rcv_skbs_total SEC(".maps");

// Fires when a datagram cannot be queued to its socket, typically a full receive buffer. 6.10 added
// the skb as a third argument; only (rc, sk) are read so older kernels work too.
SEC("tp_btf/udp_fail_queue_rcv_skb")
int BPF_PROG(udp_fail_queue_rcv_skb, int rc, struct sock *sk)
{
    u16 port = sk->__sk_common.skc_num;

    increment_map(&udp_fail_queue_rcv_skbs_total, &port, 1);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
