// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "bits.bpf.h"

// 2^16 bytes: the 64 KiB GSO/loopback maximum.
#define MAX_SIZE_SLOT 16

struct tx_key_t {
    u32 ifindex;
};

// One map value, two counters: the config reads `bytes` (offset 0) and `packets` (offset 8).
struct tx_stats_t {
    u64 bytes;
    u64 packets;
};

struct tx_size_key_t {
    u32 ifindex;
    u32 bucket; // log2 of the packet size in bytes; the last field, as the exporter expects
};

// Each bucket entry carries its count and the bytes of the packets in it: the histogram reads the
// count at offset 0 and adds up the bytes at offset 8 into `_sum` (no sum key at bucket_max + 1).
struct tx_size_t {
    u64 count;
    u64 bytes;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, struct tx_key_t);
    __type(value, struct tx_stats_t);
} net_dev_xmit_stats SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64 * (MAX_SIZE_SLOT + 1));
    __type(key, struct tx_size_key_t);
    __type(value, struct tx_size_t);
} net_dev_xmit_sizes SEC(".maps");

// Looks a struct value up, inserting a zeroed one first when missing. BPF_NOEXIST makes the insert a
// no-op if another CPU created the entry in between; the fields are then added to atomically.
static __always_inline void *lookup_or_zero_init_struct(void *map, const void *key, const void *zero)
{
    void *value = bpf_map_lookup_elem(map, key);

    if (value)
        return value;
    bpf_map_update_elem(map, key, zero, BPF_NOEXIST);
    return bpf_map_lookup_elem(map, key);
}

// rc is the driver's verdict; only packets it accepted (NETDEV_TX_OK = 0) are counted.
SEC("tp_btf/net_dev_xmit")
int BPF_PROG(net_dev_xmit, struct sk_buff *skb, int rc, struct net_device *dev, unsigned int skb_len)
{
    struct tx_stats_t zero_stats = {};
    struct tx_size_t zero_size = {};
    struct tx_key_t key = {};
    struct tx_size_key_t size_key = {};
    struct tx_stats_t *stats;
    struct tx_size_t *size;

    if (rc != 0)
        return 0;
    key.ifindex = dev->ifindex;
    stats = lookup_or_zero_init_struct(&net_dev_xmit_stats, &key, &zero_stats);
    if (stats) {
        __sync_fetch_and_add(&stats->bytes, skb_len);
        __sync_fetch_and_add(&stats->packets, 1);
    }

    size_key.ifindex = dev->ifindex;
    size_key.bucket = log2_u64_ceil(skb_len);
    if (size_key.bucket > MAX_SIZE_SLOT)
        size_key.bucket = MAX_SIZE_SLOT;
    size = lookup_or_zero_init_struct(&net_dev_xmit_sizes, &size_key, &zero_size);
    if (size) {
        __sync_fetch_and_add(&size->count, 1);
        __sync_fetch_and_add(&size->bytes, skb_len);
    }
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
