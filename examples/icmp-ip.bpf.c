// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

// Keys: the source address as raw network-order bytes, which is what the `inet_ip` decoder reads.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, u32);
    __type(value, u64);
} icmp4_received_packets_total SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, struct in6_addr);
    __type(value, u64);
} icmp6_received_packets_total SEC(".maps");

static __always_inline void *network_header(struct sk_buff *skb)
{
    return BPF_CORE_READ(skb, head) + BPF_CORE_READ(skb, network_header);
}

SEC("kprobe/icmp_rcv")
int BPF_KPROBE(icmp_rcv, struct sk_buff *skb)
{
    struct iphdr *ip = network_header(skb);
    u32 saddr = 0;

    bpf_probe_read_kernel(&saddr, sizeof(saddr), &ip->saddr);
    increment_map(&icmp4_received_packets_total, &saddr, 1);
    return 0;
}

SEC("kprobe/icmpv6_rcv")
int BPF_KPROBE(icmpv6_rcv, struct sk_buff *skb)
{
    struct ipv6hdr *ip6 = network_header(skb);
    struct in6_addr saddr = {};

    bpf_probe_read_kernel(&saddr, sizeof(saddr), &ip6->saddr);
    increment_map(&icmp6_received_packets_total, &saddr, 1);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
