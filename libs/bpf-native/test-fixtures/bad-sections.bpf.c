// SPDX-License-Identifier: GPL-2.0
// Custom sections that open fine but cannot attach: an unknown perf_event key and a missing interface.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("perf_event/type=1,config=0,frequency=10,period=5")
int unknown_key(void *ctx)
{
    return 0;
}

SEC("xdp/no-such-if0")
int missing_interface(struct xdp_md *ctx)
{
    return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
