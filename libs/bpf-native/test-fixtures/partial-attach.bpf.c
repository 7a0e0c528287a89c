// SPDX-License-Identifier: GPL-2.0
// One program that attaches everywhere (tp_btf) and one that needs KPROBES, which the host kernel lacks.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("kprobe/do_nanosleep")
int on_nanosleep(void *ctx)
{
    return 0;
}

SEC("tp_btf/sys_enter")
int on_sys_enter(__u64 *ctx)
{
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
