// SPDX-License-Identifier: GPL-2.0
// Counts the test process's syscalls into a hash, an array and a per-CPU array, and copies a
// userspace-set global into the array, so tests can check reads against what the kernel wrote.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

// Set with setGlobalU64 before load.
const volatile __u64 target_tgid = 0;
const volatile __u64 kaddr_marker = 0;

enum total_slot {
    TOTAL_EVENTS = 0,
    TOTAL_MARKER = 1,
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, __u64); // syscall number
    __type(value, __u64);
} syscall_counts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32); // enum total_slot
    __type(value, __u64);
} totals SEC(".maps");

// A 4-byte value: the kernel pads each per-CPU slot to 8 bytes, which reads must honour.
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u32);
} percpu_events SEC(".maps");

struct wide_key {
    __u64 high;
    __u64 low;
};

// Filled from userspace only: the large-map read test.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 131072);
    __type(key, struct wide_key);
    __type(value, __u64);
} big_hash SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_HASH);
    __uint(max_entries, 64);
    __type(key, __u32);
    __type(value, __u64);
} percpu_hash SEC(".maps");

#define STACK_DEPTH 32

// Stack trace maps have no batch operations: reads of it take the get_next_key + lookup fallback.
struct {
    __uint(type, BPF_MAP_TYPE_STACK_TRACE);
    __uint(max_entries, 64);
    __type(key, __u32); // stack id
    __uint(value_size, STACK_DEPTH * sizeof(__u64));
} kernel_stacks SEC(".maps");

// tp_btf/sys_enter is (struct pt_regs *regs, long id): ctx[1] is the syscall number.
SEC("tp_btf/sys_enter")
int count_syscalls(__u64 *ctx)
{
    if ((bpf_get_current_pid_tgid() >> 32) != target_tgid)
        return 0;

    __u64 id = ctx[1];
    __u64 *count = bpf_map_lookup_elem(&syscall_counts, &id);
    if (count) {
        __sync_fetch_and_add(count, 1);
    } else {
        __u64 one = 1;
        bpf_map_update_elem(&syscall_counts, &id, &one, BPF_NOEXIST);
    }

    __u32 slot = TOTAL_EVENTS;
    __u64 *total = bpf_map_lookup_elem(&totals, &slot);
    if (total)
        __sync_fetch_and_add(total, 1);
    slot = TOTAL_MARKER;
    __u64 *marker = bpf_map_lookup_elem(&totals, &slot);
    if (marker)
        *marker = kaddr_marker;

    __u32 zero = 0;
    __u32 *per_cpu = bpf_map_lookup_elem(&percpu_events, &zero);
    if (per_cpu)
        *per_cpu += 1;

    bpf_get_stackid(ctx, &kernel_stacks, 0);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
