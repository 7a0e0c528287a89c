// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "maps.bpf.h"

#define ETH_P_IP   0x0800
#define ETH_P_IPV6 0x86DD

struct packet_key_t {
    u16 eth_proto;
    u16 dst_port;
    u8 ip_proto;
    u8 pad[3];
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, struct packet_key_t);
    __type(value, u64);
} xdp_incoming_packets_total SEC(".maps");

// Returns a pointer to `size` bytes at `offset` or NULL: every access into the packet must be proven to
// stay before data_end, or the verifier rejects the program.
static __always_inline void *packet_at(struct xdp_md *ctx, u64 offset, u64 size)
{
    void *data = (void *)(long)ctx->data;
    void *data_end = (void *)(long)ctx->data_end;

    if (data + offset + size > data_end)
        return NULL;
    return data + offset;
}

// `xdp/<interface>` is handled by the exporter, which attaches the program to that interface.
SEC("xdp/lo")
int count_packets(struct xdp_md *ctx)
{
    struct packet_key_t key = {};
    struct ethhdr *eth = packet_at(ctx, 0, sizeof(*eth));
    u64 l4_offset = 0;

    if (!eth)
        return XDP_PASS;
    key.eth_proto = bpf_ntohs(eth->h_proto);

    if (key.eth_proto == ETH_P_IP) {
        struct iphdr *ip = packet_at(ctx, sizeof(*eth), sizeof(*ip));
        if (ip) {
            key.ip_proto = ip->protocol;
            l4_offset = sizeof(*eth) + ip->ihl * 4;
        }
    } else if (key.eth_proto == ETH_P_IPV6) {
        struct ipv6hdr *ip6 = packet_at(ctx, sizeof(*eth), sizeof(*ip6));
        if (ip6) {
            key.ip_proto = ip6->nexthdr;
            l4_offset = sizeof(*eth) + sizeof(*ip6);
        }
    }

    if (l4_offset && (key.ip_proto == IPPROTO_TCP || key.ip_proto == IPPROTO_UDP)) {
        struct udphdr *l4 = packet_at(ctx, l4_offset, sizeof(*l4));
        if (l4)
            key.dst_port = bpf_ntohs(l4->dest);
    }

    increment_map(&xdp_incoming_packets_total, &key, 1);
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
