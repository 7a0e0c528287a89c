// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "maps.bpf.h"

// Key: the cgroup v2 id (the inode number of the cgroup directory), which the `cgroup` decoder turns
// into a path.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, u64);
    __type(value, u64);
} cgroup_sched_migrations_total SEC(".maps");

// The migrated task is an argument, not necessarily the current one, so its cgroup comes from the
// task itself rather than bpf_get_current_cgroup_id().
SEC("tp_btf/sched_migrate_task")
int BPF_PROG(sched_migrate_task, struct task_struct *task)
{
    u64 cgroup_id = task->cgroups->dfl_cgrp->kn->id;

    increment_map(&cgroup_sched_migrations_total, &cgroup_id, 1);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
