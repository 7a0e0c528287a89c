// SPDX-License-Identifier: MIT OR GPL-2.0-only
#ifndef __REGS_IP_BPF_H
#define __REGS_IP_BPF_H

// On x86 a kprobe reports the instruction pointer just past the probed instruction: the int3 breakpoint
// (and the ftrace-based kprobe path, which imitates it) leaves regs->ip at `func + 1`. Subtracting the
// breakpoint size gives back the function's own address, so the `ksym` decoder finds an exact symbol
// instead of failing with `unknown_addr:`. arm64 reports the probed address itself.
#if defined(__TARGET_ARCH_x86)
#define KPROBE_REGS_IP_FIX(ip) ((ip)-1)
#else
#define KPROBE_REGS_IP_FIX(ip) (ip)
#endif

#endif /* __REGS_IP_BPF_H */
