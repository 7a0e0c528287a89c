// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/usdt.bpf.h>
#include "maps.bpf.h"

#define MAX_MODULE_LENGTH 128

struct module_key_t {
    char name[MAX_MODULE_LENGTH];
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, struct module_key_t);
    __type(value, u64);
} python_module_imports_total SEC(".maps");

// CPython's import__find__load__start probe passes the module name as its only argument. The probe is
// behind a USDT semaphore, which libbpf enables at attach time, so Python pays nothing until then. The
// absolute path avoids wrappers such as pyenv shims that a PATH lookup could find first.
SEC("usdt//usr/bin/python3.11:python:import__find__load__start")
int BPF_USDT(do_count, void *module)
{
    struct module_key_t key = {};

    bpf_probe_read_user_str(key.name, sizeof(key.name), module);
    increment_map(&python_module_imports_total, &key, 1);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
