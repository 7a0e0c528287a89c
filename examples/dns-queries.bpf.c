// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>
#include "maps.bpf.h"

#define ETH_P_IP       0x0800
#define DNS_PORT       53
#define DNS_HEADER_LEN 12
// Longer names are cut; the cut name is malformed and the `dname` decoder then shows its raw bytes.
#define MAX_NAME_LEN 64

struct dns_query_key_t {
    u8 name[MAX_NAME_LEN]; // the question name in DNS wire format: length-prefixed labels, 0-terminated
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, struct dns_query_key_t);
    __type(value, u64);
} dns_queries_total SEC(".maps");

// Zeroes everything after the name's terminating empty label, so bytes that follow the name in the
// packet (query type and class) do not make two queries for one name count as different keys.
static __always_inline void clear_after_name(struct dns_query_key_t *key)
{
    u32 next_label = 0;
    bool ended = false;

#pragma unroll
    for (u32 i = 0; i < MAX_NAME_LEN; i++) {
        if (ended) {
            key->name[i] = 0;
        } else if (i == next_label) {
            if (key->name[i] == 0)
                ended = true;
            else
                next_label = i + key->name[i] + 1;
        }
    }
}

// Outgoing IPv4 UDP datagrams to port 53, seen as they are queued to a network device. The headers are
// found from skb->head and the offsets the IP stack recorded, whatever link-layer header precedes them.
SEC("tp_btf/net_dev_queue")
int BPF_PROG(net_dev_queue, struct sk_buff *skb)
{
    struct dns_query_key_t key = {};
    unsigned char *head = skb->head;
    struct iphdr ip;
    struct udphdr udp;

    if (bpf_ntohs(skb->protocol) != ETH_P_IP)
        return 0;
    if (bpf_probe_read_kernel(&ip, sizeof(ip), head + skb->network_header) || ip.protocol != IPPROTO_UDP)
        return 0;
    if (bpf_probe_read_kernel(&udp, sizeof(udp), head + skb->transport_header) || udp.dest != bpf_htons(DNS_PORT))
        return 0;
    if (bpf_probe_read_kernel(key.name, sizeof(key.name), head + skb->transport_header + sizeof(udp) + DNS_HEADER_LEN))
        return 0;

    clear_after_name(&key);
    increment_map(&dns_queries_total, &key, 1);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
