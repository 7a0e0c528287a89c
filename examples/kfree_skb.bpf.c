// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "maps.bpf.h"

#define ETH_P_IP   0x0800
#define ETH_P_IPV6 0x86DD

// The kernel's enum skb_drop_reason is renumbered whenever a reason is added, so a static_map over its
// raw values would be wrong on every other kernel. Reasons are translated to this stable numbering with
// CO-RE enum relocations instead; reasons not listed here count as `other`.
enum drop_reason {
    DROP_OTHER = 0,
    DROP_NOT_SPECIFIED,
    DROP_NO_SOCKET,
    DROP_SOCKET_FILTER,
    DROP_SOCKET_RCVBUFF,
    DROP_PROTO_MEM,
    DROP_IP_NOPROTO,
    DROP_NETFILTER_DROP,
    DROP_OTHERHOST,
    DROP_UDP_CSUM,
    DROP_TCP_CSUM,
};

struct kfree_skb_key_t {
    u16 eth_proto;
    u16 port;
    u8 ip_proto;
    u8 pad[3];
    u32 reason;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, struct kfree_skb_key_t);
    __type(value, u64);
} kfree_skb_total SEC(".maps");

#define translate(raw, name)                                                                                           \
    if (bpf_core_enum_value_exists(enum skb_drop_reason, SKB_DROP_REASON_##name) &&                                    \
        raw == bpf_core_enum_value(enum skb_drop_reason, SKB_DROP_REASON_##name))                                      \
        return DROP_##name;

static __always_inline u32 stable_reason(u32 raw)
{
    translate(raw, NOT_SPECIFIED);
    translate(raw, NO_SOCKET);
    translate(raw, SOCKET_FILTER);
    translate(raw, SOCKET_RCVBUFF);
    translate(raw, PROTO_MEM);
    translate(raw, IP_NOPROTO);
    translate(raw, NETFILTER_DROP);
    translate(raw, OTHERHOST);
    translate(raw, UDP_CSUM);
    translate(raw, TCP_CSUM);
    return DROP_OTHER;
}

// Arguments 0 and 2 (skb, reason) exist on every kernel since 5.17; 6.x added more after them.
SEC("tp_btf/kfree_skb")
int BPF_PROG(kfree_skb, struct sk_buff *skb, void *location, enum skb_drop_reason reason)
{
    struct kfree_skb_key_t key = {};
    unsigned char *head = skb->head;
    u16 network = skb->network_header, transport = skb->transport_header;
    u16 dest;

    key.eth_proto = bpf_ntohs(skb->protocol);
    key.reason = stable_reason(reason);
    if (key.eth_proto == ETH_P_IP)
        bpf_probe_read_kernel(&key.ip_proto, 1, head + network + offsetof(struct iphdr, protocol));
    else if (key.eth_proto == ETH_P_IPV6)
        bpf_probe_read_kernel(&key.ip_proto, 1, head + network + offsetof(struct ipv6hdr, nexthdr));

    // TCP and UDP both keep the destination port at offset 2 of their header.
    if ((key.ip_proto == IPPROTO_TCP || key.ip_proto == IPPROTO_UDP) && transport != (u16)~0U && transport != network) {
        bpf_probe_read_kernel(&dest, sizeof(dest), head + transport + offsetof(struct udphdr, dest));
        key.port = bpf_ntohs(dest);
    }

    increment_map(&kfree_skb_total, &key, 1);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
