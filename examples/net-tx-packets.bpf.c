// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

// Packet size classes: minimum Ethernet frame, powers of two, a full 1500-byte MTU frame with its
// Ethernet header, jumbo frames, and the 64 KiB GSO/loopback maximum.
static const u64 size_buckets[] = {64, 128, 256, 512, 1024, 1514, 9014, 65536};
#define SIZE_BUCKETS (sizeof(size_buckets) / sizeof(size_buckets[0]))

struct tx_packet_key_t {
    u32 ifindex;
    u16 eth_proto; // network byte order, shown as hex (0800 = IPv4, 86dd = IPv6)
    u16 pad;
};

struct tx_size_key_t {
    u32 ifindex;
    u32 bucket; // one of size_buckets (fixed buckets store the bound itself)
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, struct tx_packet_key_t);
    __type(value, u64);
} net_dev_xmit_packets_total SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64 * (SIZE_BUCKETS + 1));
    __type(key, struct tx_size_key_t);
    __type(value, u64);
} net_dev_xmit_packet_size_bytes SEC(".maps");

// rc is the driver's verdict; only packets it accepted (NETDEV_TX_OK = 0) are counted.
SEC("tp_btf/net_dev_xmit")
int BPF_PROG(net_dev_xmit, struct sk_buff *skb, int rc, struct net_device *dev, unsigned int skb_len)
{
    struct tx_packet_key_t packet = {};
    struct tx_size_key_t size = {};

    if (rc != 0)
        return 0;
    packet.ifindex = dev->ifindex;
    packet.eth_proto = skb->protocol;
    increment_map(&net_dev_xmit_packets_total, &packet, 1);

    size.ifindex = dev->ifindex;
    increment_fixed_histogram(&net_dev_xmit_packet_size_bytes, size, skb_len, size_buckets, SIZE_BUCKETS);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
