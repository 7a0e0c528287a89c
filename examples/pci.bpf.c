// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "maps.bpf.h"

// Each field is shaped for its pci.ids decoder: the device key carries its vendor in the high half and
// the subclass key its class, because device and subclass names are only unique within those.
struct pci_key_t {
    u32 vendor;   // vendor id
    u32 device;   // vendor << 16 | device id
    u32 class;    // base class
    u32 subclass; // base class << 8 | subclass
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 1024);
    __type(key, struct pci_key_t);
    __type(value, u64);
} pci_user_read_config_ops_total SEC(".maps");

static __always_inline int count_read(struct pci_dev *dev)
{
    struct pci_key_t key = {};
    u16 vendor = BPF_CORE_READ(dev, vendor);
    u32 class = BPF_CORE_READ(dev, class); // class << 16 | subclass << 8 | programming interface

    key.vendor = vendor;
    key.device = (u32)vendor << 16 | BPF_CORE_READ(dev, device);
    key.class = class >> 16;
    key.subclass = class >> 8;
    increment_map(&pci_user_read_config_ops_total, &key, 1);
    return 0;
}

// Config space reads from user space (lspci, /sys/bus/pci/devices/*/config) go through these three.
SEC("kprobe/pci_user_read_config_byte")
int BPF_KPROBE(read_config_byte, struct pci_dev *dev)
{
    return count_read(dev);
}

SEC("kprobe/pci_user_read_config_word")
int BPF_KPROBE(read_config_word, struct pci_dev *dev)
{
    return count_read(dev);
}

SEC("kprobe/pci_user_read_config_dword")
int BPF_KPROBE(read_config_dword, struct pci_dev *dev)
{
    return count_read(dev);
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
