// SPDX-License-Identifier: MIT OR GPL-2.0-only
// Probes for the getpid overhead benchmark (bench/native/getpid-bench.c), after upstream's: one tp_btf
// sys_enter program per case, attached one at a time. Every counting case comes twice, once written with
// the plain lookup / atomic add / insert idiom and once with include/maps.bpf.h's increment_map, so the
// helper header can be shown to cost nothing extra. Counting cases only count getpid, so the rest of the
// machine's syscalls pay for the filter alone while the benchmark runs.
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

#if defined(__TARGET_ARCH_x86)
#define NR_GETPID 39
#elif defined(__TARGET_ARCH_arm64)
#define NR_GETPID 172
#else
#error "unknown architecture"
#endif

#define COMPLEX_MAX_ENTRIES 10240

// upstream's complex key: the pid, a pseudo-random number (time % 1024) and the command name.
struct complex_key {
    u32 pid;
    u32 random;
    char comm[32];
};

#define COUNTER_MAP(name, key_type, entries)                                                                           \
    struct {                                                                                                           \
        __uint(type, BPF_MAP_TYPE_HASH);                                                                               \
        __uint(max_entries, entries);                                                                                  \
        __type(key, key_type);                                                                                         \
        __type(value, u64);                                                                                            \
    } name SEC(".maps")

COUNTER_MAP(simple_plain_counts, u32, 1024);
COUNTER_MAP(simple_helper_counts, u32, 1024);
COUNTER_MAP(complex_plain_counts, struct complex_key, COMPLEX_MAX_ENTRIES);
COUNTER_MAP(complex_helper_counts, struct complex_key, COMPLEX_MAX_ENTRIES);

// The idiom most BPF code writes by hand: add to an existing slot, or insert 1.
static __always_inline void plain_increment(void *map, const void *key)
{
    u64 one = 1;
    u64 *count = bpf_map_lookup_elem(map, key);

    if (count)
        __sync_fetch_and_add(count, 1);
    else
        bpf_map_update_elem(map, key, &one, BPF_NOEXIST);
}

static __always_inline void complex_key_of_current(struct complex_key *key)
{
    __builtin_memset(key, 0, sizeof(*key));
    key->pid = bpf_get_current_pid_tgid() >> 32;
    key->random = bpf_ktime_get_ns() % 1024;
    bpf_get_current_comm(key->comm, sizeof(key->comm));
}

SEC("tp_btf/sys_enter")
int BPF_PROG(empty, struct pt_regs *regs, long id)
{
    return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(simple_plain, struct pt_regs *regs, long id)
{
    u32 pid = bpf_get_current_pid_tgid() >> 32;

    if (id == NR_GETPID)
        plain_increment(&simple_plain_counts, &pid);
    return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(simple_helper, struct pt_regs *regs, long id)
{
    u32 pid = bpf_get_current_pid_tgid() >> 32;

    if (id == NR_GETPID)
        increment_map(&simple_helper_counts, &pid, 1);
    return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(complex_plain, struct pt_regs *regs, long id)
{
    struct complex_key key;

    if (id != NR_GETPID)
        return 0;
    complex_key_of_current(&key);
    plain_increment(&complex_plain_counts, &key);
    return 0;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(complex_helper, struct pt_regs *regs, long id)
{
    struct complex_key key;

    if (id != NR_GETPID)
        return 0;
    complex_key_of_current(&key);
    increment_map(&complex_helper_counts, &key, 1);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
