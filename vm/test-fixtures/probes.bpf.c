// SPDX-License-Identifier: GPL-2.0
// One kprobe and one fentry program on the same kernel function, each counting its hits in its own
// array slot: the smallest object that tells whether a kernel can run both attach types.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

enum probe_slot { KPROBE_SLOT = 0, FENTRY_SLOT = 1 };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

static void count_hit(__u32 slot)
{
	__u64 *counter = bpf_map_lookup_elem(&hits, &slot);

	if (counter)
		__sync_fetch_and_add(counter, 1);
}

SEC("kprobe/vfs_read")
int kprobe_vfs_read(void *ctx)
{
	count_hit(KPROBE_SLOT);
	return 0;
}

SEC("fentry/vfs_read")
int fentry_vfs_read(void *ctx)
{
	count_hit(FENTRY_SLOT);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
